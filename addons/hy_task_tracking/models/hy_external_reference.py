from odoo import fields, models

from .hy_write_guard import MANAGER, OFFICE


class HyExternalReference(models.Model):
    """The identifier that another system (the Office's document-management system, ...) gives
    to a directive or a task it sent through the integration API.

    A resent message finds its records again through this table instead of duplicating them,
    without adding integration fields to the directive and task models.
    """

    _name = "hy.external.reference"
    _description = "External Reference"
    _order = "system, res_model, external_ref"
    _rec_name = "external_ref"
    _inherit = ["hy.write.guard"]
    # Who may write what (hy.write.guard): the Office (and the API, as an Office user) records
    # other systems' identifiers; a manager removes a wrong one.
    _hy_create_fields = dict.fromkeys(("system", "res_model", "res_id", "external_ref"), OFFICE)
    _hy_write_fields = _hy_create_fields
    _hy_unlink_roles = MANAGER

    system = fields.Char(
        required=True, index=True, help="Code of the sending system, e.g. vbdh (lowercase)."
    )
    res_model = fields.Char(string="Model", required=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, index=True
    )
    external_ref = fields.Char(
        string="External Reference", required=True, help="Identifier given by the sending system."
    )

    _sql_constraints = [
        (
            "system_model_ref_unique",
            "unique(system, res_model, external_ref)",
            "This external reference is already linked to a record.",
        ),
    ]
