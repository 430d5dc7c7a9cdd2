from odoo import api, fields, models

from odoo.addons.hy_task_tracking.models.hy_directive import AUTHORITIES


class HyReportAuthority(models.Model):
    """An issuing authority, as a record, so that a report can be scoped to several of them.

    The authority of a directive is a selection; a period's scope needs a many2many, hence
    these four fixed records (data/hy_report_authority_data.xml), one per selection key.
    """

    _name = "hy.report.authority"
    _description = "Issuing Authority (report scope)"
    # hy.write.guard with nothing declared: four fixed records of the module's data.
    _inherit = ["hy.write.guard"]
    _order = "sequence, id"
    _rec_name = "code"

    code = fields.Selection(AUTHORITIES, required=True, readonly=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("code_unique", "unique(code)", "Each issuing authority is listed once."),
    ]

    @api.depends("code")
    @api.depends_context("lang")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for authority in self:
            authority.display_name = labels.get(authority.code, "")
