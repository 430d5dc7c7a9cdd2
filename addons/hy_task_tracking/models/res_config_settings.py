from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hy_due_soon_thresholds = fields.Char(
        string="Due-soon reminders (days before)",
        config_parameter="hy_task_tracking.due_soon_thresholds",
        default="3,1",
        help="Comma-separated numbers of days before the deadline, e.g. 3,1.",
    )
    hy_stale_days = fields.Integer(
        string="Flag tasks without update after (days)",
        config_parameter="hy_task_tracking.stale_days",
        default=14,
    )
    hy_report_deadlines = fields.Char(
        string="Unit report deadlines (dd/mm)",
        config_parameter="hy_task_tracking.report_deadlines",
        default="20/06,30/11",
        help="Deadlines of the units' 6-month and annual reports (Art. 19.1).",
    )
    hy_report_reminder_days = fields.Integer(
        string="Remind units of their report (days before)",
        config_parameter="hy_task_tracking.report_reminder_days",
        default=7,
    )
    hy_digest_weekly = fields.Boolean(
        string="Weekly digest", config_parameter="hy_task_tracking.digest_weekly", default=True
    )
    hy_digest_monthly = fields.Boolean(
        string="Monthly digest", config_parameter="hy_task_tracking.digest_monthly", default=True
    )
    hy_digest_unit_heads = fields.Boolean(
        string="Weekly digest for unit heads",
        config_parameter="hy_task_tracking.digest_unit_heads",
        default=True,
    )

    @api.constrains("hy_due_soon_thresholds", "hy_report_deadlines")
    def _check_hy_settings(self):
        for settings in self:
            try:
                self.env["hy.task"]._parse_thresholds(settings.hy_due_soon_thresholds)
                self.env["hy.task"]._parse_report_deadlines(settings.hy_report_deadlines, 2026)
            except ValueError as error:
                raise ValidationError(_("Task tracking settings: %s", error)) from error
