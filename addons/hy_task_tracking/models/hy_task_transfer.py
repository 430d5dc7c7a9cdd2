from odoo import fields, models


class HyTaskTransfer(models.Model):
    """History of a task moving from one lead unit to another (Art. 6.2.a)."""

    _name = "hy.task.transfer"
    _description = "Task Transfer"
    _order = "create_date desc, id desc"

    task_id = fields.Many2one("hy.task", required=True, index=True, ondelete="cascade")
    from_unit_id = fields.Many2one("hy.unit", ondelete="restrict")
    to_unit_id = fields.Many2one("hy.unit", required=True, ondelete="restrict")
    reason = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Transferred By", default=lambda self: self.env.user, readonly=True
    )
