from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HyTaskTransfer(models.Model):
    """History of a task moving from one lead unit to another (Art. 6.2.a)."""

    _name = "hy.task.transfer"
    _description = "Task Transfer"
    # hy.write.guard with nothing declared: only hy.task._transfer_to_unit records transfers.
    _inherit = ["hy.classified.mixin", "hy.write.guard"]
    _order = "create_date desc, id desc"

    task_id = fields.Many2one("hy.task", required=True, index=True, ondelete="cascade")
    from_unit_id = fields.Many2one("hy.unit", ondelete="restrict")
    to_unit_id = fields.Many2one("hy.unit", required=True, ondelete="restrict")
    reason = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="Transferred By", default=lambda self: self.env.user, readonly=True
    )

    @api.constrains("reason", "task_id")
    def _check_no_reason_on_classified(self):
        # Holds under sudo() too; the classification is read as superuser for the same reason.
        for transfer in self.sudo():
            if transfer.reason and transfer.task_id.is_classified:
                raise ValidationError(
                    _(
                        "Task %s belongs to a classified directive: the reason of its transfer "
                        "goes through the classified channel, not into the software.",
                        transfer.task_id.reference,
                    )
                )
