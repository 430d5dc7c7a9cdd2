from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    hy_unit_ids = fields.Many2many(
        "hy.unit",
        "hy_unit_res_users_rel",
        "user_id",
        "unit_id",
        string="Units",
        help="Units whose tasks this user works.",
    )
