from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..models.classified import record_id
from ..models.hy_task import OPEN_STATES
from ..models.hy_write_guard import OFFICER

# An urge recorded by hand: the dispatches record their own when they are sent.
HAND_CHANNELS = [("phone", "Phone call"), ("meeting", "Meeting")]


class HyTaskUrgeWizard(models.TransientModel):
    """Record that the Office urged a unit about a task by phone or in a meeting: one entry
    in the task's history, counted with the dispatches. No note on a classified task."""

    _name = "hy.task.urge.wizard"
    _description = "Record an Urge"
    _inherit = ["hy.write.guard"]
    # Who may write what (hy.write.guard): the Office fills the dialog; action_apply records.
    _hy_create_fields = dict.fromkeys(("task_id", "channel", "note"), OFFICER)
    _hy_write_fields = _hy_create_fields

    task_id = fields.Many2one("hy.task", required=True, ondelete="cascade")
    is_classified = fields.Boolean(related="task_id.is_classified")
    channel = fields.Selection(HAND_CHANNELS, string="How", required=True, default="phone")
    note = fields.Text(
        help="Whom the Office spoke to and what was agreed. Never kept for classified tasks."
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("task_id"):
                vals["task_id"] = record_id(vals["task_id"])
        if not self.env.su:
            # A task the user cannot read is answered as one that does not exist.
            tasks = self.env["hy.task"].browse(
                {vals["task_id"] for vals in vals_list if vals.get("task_id")}
            )
            if tasks and (len(tasks.exists()) != len(tasks) or not tasks.has_access("read")):
                raise self.env["ir.rule"]._make_access_error("read", tasks)
        wizards = super().create(vals_list)
        wizards._check_no_classified_note()
        return wizards

    def write(self, vals):
        res = super().write(vals)
        if {"task_id", "note"} & set(vals):
            self._check_no_classified_note()
        return res

    def _check_no_classified_note(self):
        for wizard in self.sudo():  # sudo: the classification decides, whoever fills it
            if wizard.task_id.is_classified and (wizard.note or "").strip():
                raise ValidationError(
                    self.env._(
                        "This task belongs to a classified directive: what was said goes on "
                        "paper through the classified channel, not into the software."
                    )
                )

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("hy_task_tracking.group_office_officer"):
            raise AccessError(self.env._("Only the Office records urges."))
        task = self.task_id
        task.check_access("read")
        if task.state not in OPEN_STATES or not task.active:
            raise UserError(self.env._("Only open tasks are urged."))
        self._check_no_classified_note()
        note = (self.note or "").strip() or None
        task.sudo()._hy_record_urge(self.channel, note=note)  # sudo: the workflow's, checked
        return {"type": "ir.actions.act_window_close"}
