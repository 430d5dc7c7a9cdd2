from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.classified import record_id
from ..models.hy_task import DEADLINE_RULES, EFFECTIVENESS_LEVELS, QUALITY_LEVELS
from ..models.hy_time import hy_today
from ..models.hy_write_guard import UNIT_OR_OFFICE

# Free text of the dialog: never stored for a task of a classified directive (Art. 7.2).
TEXT_FIELDS = ("reason", "result")


class HyTaskWorkflowWizard(models.TransientModel):
    """Collects what one workflow step needs (a reason, a result, a unit...) and applies it."""

    _name = "hy.task.workflow.wizard"
    _description = "Task Workflow Step"
    _inherit = ["hy.write.guard"]
    # Who may write what (hy.write.guard): the dialog's own fields; each step's method checks
    # who may take it (the Office, the lead unit, a manager) when it is applied.
    _hy_create_fields = dict.fromkeys(
        (
            "task_id",
            "step",
            "unit_step",
            "reason",
            "unit_id",
            "result",
            "date_done",
            "quality",
            "effectiveness",
            "new_deadline",
            "extension_rule",
            "extension_days",
        ),
        UNIT_OR_OFFICE,
    )
    _hy_write_fields = _hy_create_fields

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
            ("for_unit", "Record for the unit"),
        ],
        required=True,
    )
    # The Office records what a unit without the software reported (on paper, by phone).
    unit_step = fields.Selection(
        [
            ("accept", "Accepted the task"),
            ("report_done", "Reported completion"),
            ("return", "Returned it to the Office"),
            ("request_extension", "Asked for a deadline extension"),
        ],
        string="The Unit",
    )
    shown_step = fields.Char(compute="_compute_shown_step")
    reason = fields.Text()
    unit_id = fields.Many2one(
        "hy.unit", string="New Lead Unit", domain=[("unit_type", "!=", "office_division")]
    )
    result = fields.Text()
    date_done = fields.Date(default=lambda self: hy_today())
    quality = fields.Selection(QUALITY_LEVELS)
    effectiveness = fields.Selection(EFFECTIVENESS_LEVELS)
    new_deadline = fields.Date(string="Proposed Deadline")
    extension_rule = fields.Selection(DEADLINE_RULES, string="Extension Given As", default="date")
    extension_days = fields.Integer(string="Days of Extension")

    @api.onchange("extension_rule", "extension_days")
    def _onchange_extension_days(self):
        if self.extension_rule != "date" and self.task_id.deadline and self.extension_days > 0:
            self.new_deadline = self.env["hy.task.extension"]._new_deadlines(
                [(self.task_id.deadline, self.extension_rule, self.extension_days)]
            )[0]

    @api.depends("step", "unit_step")
    def _compute_shown_step(self):
        for wizard in self:
            wizard.shown_step = wizard.unit_step if wizard.step == "for_unit" else wizard.step

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        for vals in vals_list:
            if vals.get("task_id"):
                vals["task_id"] = record_id(vals["task_id"])
        self._check_task_readable([vals.get("task_id") for vals in vals_list])
        wizards = super().create(vals_list)
        wizards._check_no_classified_text()
        return wizards

    def write(self, vals):
        self._hy_check_fields("write", vals)
        if vals.get("task_id"):
            vals = dict(vals, task_id=record_id(vals["task_id"]))
            self._check_task_readable([vals["task_id"]])
        res = super().write(vals)
        if {"task_id", *TEXT_FIELDS} & set(vals):
            self._check_no_classified_text()
        return res

    def onchange(self, values, field_names, fields_spec):
        # The dialog's first onchange returns the task's name and deadline (related fields,
        # read as superuser): the task must be readable before anything is answered.
        task_id = values.get("task_id") or self.env.context.get("default_task_id")
        if isinstance(task_id, dict):
            task_id = task_id.get("id")
        if task_id:
            self._check_task_readable([record_id(task_id)])
        return super().onchange(values, field_names, fields_spec)

    @api.model
    def _check_task_readable(self, task_ids):
        """A task the user cannot read is answered as one that does not exist: the dialog
        must not reveal another unit's task, or a classified one, or which ids exist."""
        if self.env.su:
            return
        tasks = self.env["hy.task"].browse(task_id for task_id in task_ids if task_id)
        if tasks and (len(tasks.exists()) != len(set(tasks.ids)) or not tasks.has_access("read")):
            raise self.env["ir.rule"]._make_access_error("read", tasks)

    def _check_no_classified_text(self):
        # sudo: the classification decides, whoever fills the dialog.
        for wizard in self.sudo():  # sudo: the classification decides
            if wizard.task_id.is_classified and any(
                (wizard[name] or "").strip() for name in TEXT_FIELDS
            ):
                raise ValidationError(
                    _(
                        "This task belongs to a classified directive: reasons, comments and "
                        "results go on paper through the classified channel, not into the "
                        "software."
                    )
                )

    def action_apply(self):
        self.ensure_one()
        task = self.task_id
        step = self.shown_step
        if self.step == "for_unit":
            if not step:
                raise UserError(_("Please choose what the unit reported."))
            # Only the Office acts for a unit, and only for one without the software.
            task._check_office()
            if task.lead_unit_connected:
                raise UserError(
                    _(
                        "%s uses the software: it reports on its task itself.",
                        task.lead_unit_id.name,
                    )
                )
        if step == "accept":
            task.action_accept()
        elif step == "return":
            task._return_to_office(self.reason)
        elif step == "transfer":
            task._transfer_to_unit(self.unit_id, self.reason)
        elif step == "report_done":
            task._report_done(self.result, self.date_done)
        elif step == "evaluate" and task.state == "done":
            task._evaluate_and_confirm(self.quality, self.reason, self.effectiveness)
        elif step == "evaluate":
            # An open task is evaluated on the work so far (Art. 7.1.g), not confirmed.
            task._evaluate(self.quality, self.effectiveness, self.reason)
        elif step == "send_back":
            task._send_back(self.reason)
        elif step == "request_extension":
            in_days = self.extension_rule != "date"
            if not self.new_deadline and not in_days:
                raise UserError(_("Please propose the new deadline."))
            self.env["hy.task.extension"].create(
                {
                    "task_id": task.id,
                    "new_deadline": self.new_deadline,
                    "extension_rule": self.extension_rule,
                    "extension_days": self.extension_days,
                    "reason": self.reason,
                }
            )
        return {"type": "ir.actions.act_window_close"}
