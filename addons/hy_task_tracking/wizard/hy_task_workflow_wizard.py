from odoo import _, fields, models
from odoo.exceptions import UserError

from ..models.hy_task import QUALITY_LEVELS, hy_today


class HyTaskWorkflowWizard(models.TransientModel):
    """Collects what one workflow step needs (a reason, a result, a unit...) and applies it."""

    _name = "hy.task.workflow.wizard"
    _description = "Task Workflow Step"

    task_id = fields.Many2one("hy.task", required=True, ondelete="cascade")
    is_classified = fields.Boolean(related="task_id.is_classified")
    current_deadline = fields.Date(related="task_id.deadline")
    step = fields.Selection(
        [
            ("return", "Return to the Office"),
            ("transfer", "Transfer to another unit"),
            ("report_done", "Report completion"),
            ("evaluate", "Evaluate and confirm"),
            ("send_back", "Send back to the unit"),
            ("request_extension", "Request a deadline extension"),
        ],
        required=True,
    )
    reason = fields.Text()
    unit_id = fields.Many2one(
        "hy.unit", string="New Lead Unit", domain=[("unit_type", "!=", "office_division")]
    )
    result = fields.Text()
    date_done = fields.Date(default=lambda self: hy_today())
    quality = fields.Selection(QUALITY_LEVELS)
    new_deadline = fields.Date(string="Proposed Deadline")

    def action_apply(self):
        self.ensure_one()
        task = self.task_id
        if self.step == "return":
            task._return_to_office(self.reason)
        elif self.step == "transfer":
            task._transfer_to_unit(self.unit_id, self.reason)
        elif self.step == "report_done":
            task._report_done(self.result, self.date_done)
        elif self.step == "evaluate":
            task._evaluate_and_confirm(self.quality, self.reason)
        elif self.step == "send_back":
            task._send_back(self.reason)
        elif self.step == "request_extension":
            if not self.new_deadline:
                raise UserError(_("Please propose the new deadline."))
            self.env["hy.task.extension"].create(
                {"task_id": task.id, "new_deadline": self.new_deadline, "reason": self.reason}
            )
        return {"type": "ir.actions.act_window_close"}
