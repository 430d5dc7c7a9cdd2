from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .hy_write_guard import MANAGER

# The settings and their defaults, declared once: each is the system parameter
# "hy_task_tracking.<name>", read through hy.settings._hy_param() by both modules.
PARAMS = {
    "due_soon_thresholds": "3,1",
    "stale_days": 14,
    "report_deadlines": "20/06,30/11",  # the 6-month report's, then the annual report's
    "report_reminder_days": 7,
    "digest_weekly": True,
    "digest_monthly": True,
    "digest_unit_heads": True,
}


class HySettings(models.TransientModel):
    """The Office's own settings page.

    Odoo's Settings (res.config.settings) are for the technical administrator only; the
    Office managers set their reminders and digests here without becoming administrators.
    """

    _name = "hy.settings"
    _description = "Task Tracking Settings"
    _inherit = ["hy.write.guard"]
    # Who may write what (hy.write.guard): the Office managers set reminders and digests.
    _hy_create_fields = dict.fromkeys(PARAMS, MANAGER)
    _hy_write_fields = _hy_create_fields

    due_soon_thresholds = fields.Char(
        string="Deadline reminders (days before)",
        help="Comma-separated numbers of days before the deadline, e.g. 3,1.",
    )
    stale_days = fields.Integer(
        string="Flag tasks without update after (days)",
        help="A task in progress without news for this many days is flagged to its officer.",
    )
    report_deadlines = fields.Char(
        string="Unit report deadlines (dd/mm)",
        help="Deadlines of the units' 6-month and annual reports (Art. 19.1).",
    )
    report_reminder_days = fields.Integer(string="Remind units of their report (days before)")
    digest_weekly = fields.Boolean(
        string="Weekly digest", help="Leadership and Office managers receive a weekly summary."
    )
    digest_monthly = fields.Boolean(
        string="Monthly digest", help="Leadership and Office managers receive a monthly summary."
    )
    digest_unit_heads = fields.Boolean(
        string="Weekly digest for unit heads",
        help="Each unit head receives the unit's overdue, due-soon and returned tasks.",
    )
    job_status_ids = fields.Many2many(
        "hy.job.status",
        string="Scheduled Jobs",
        readonly=True,
        default=lambda self: self.env["hy.job.status"].search([]),
        help="What each nightly job did last: a failed run is also sent to the Office managers.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        values.update({name: self._hy_param(name) for name in PARAMS if name in fields_list})
        return values

    @api.model
    def _hy_param(self, name):
        """The value of setting ``name`` (a key of PARAMS), typed as its field.

        A box left unchecked is stored empty (see action_save): only a parameter that was
        never set takes a box's default. Empty numbers and texts take theirs, as get_param().
        """
        default = PARAMS[name]
        params = self.env["ir.config_parameter"].sudo()  # sudo: system parameters, read by all
        # _get_param() tells a parameter never set (None) from one stored empty ("").
        raw = params._get_param(f"hy_task_tracking.{name}")
        field_type = self._fields[name].type
        if field_type == "boolean":
            return default if raw is None else bool(raw)
        if field_type == "integer":
            return int(raw or default)
        return raw or default

    @api.constrains("due_soon_thresholds", "report_deadlines", "stale_days")
    def _check_values(self):
        for settings in self:
            if settings.stale_days < 0 or settings.report_reminder_days < 0:
                raise ValidationError(_("Numbers of days cannot be negative."))
            try:
                self.env["hy.task"]._parse_thresholds(settings.due_soon_thresholds)
                self.env["hy.task"]._parse_report_deadlines(settings.report_deadlines, 2026)
            except ValueError as error:
                raise ValidationError(_("Task tracking settings: %s", error)) from error

    def action_save(self):
        self.ensure_one()
        if not self.env.user.has_group("hy_task_tracking.group_office_manager"):
            raise AccessError(_("Only the Office managers can change these settings."))
        # sudo: Office managers are not system administrators; they only write these keys.
        params = self.env["ir.config_parameter"].sudo()
        for name in PARAMS:
            value = self[name]
            if self._fields[name].type == "boolean":
                value = "True" if value else ""
            params.set_param(
                f"hy_task_tracking.{name}", str(value) if value not in (False, None) else ""
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": _("Settings saved."),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
