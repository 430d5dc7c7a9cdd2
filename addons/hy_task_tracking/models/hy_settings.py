from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .hy_write_guard import MANAGER

# The settings and their defaults, declared once: each is the system parameter
# "hy_task_tracking.<name>", read through hy.settings._hy_param() by both modules.
PARAMS = {
    "due_soon_thresholds": "3,1",
    "stale_days": 14,
    # As the regulation words them (Art. 19.1): the 6-month report "before 20/06", the annual
    # report "before 30/11"; "before 20/06" is by 19/06 at the latest (_parse_report_deadlines).
    "report_deadlines": "20/06,30/11",
    # The last day counted by the 6-month, then the annual period (Decree 09/2019/NĐ-CP, Art. 12:
    # the 14th). The annual one is 14/11, not the Decree's 14/12: units report before 30/11 on a
    # period that has ended, and the Decree (Art. 8.5.b) puts the deadline after the cut-off.
    "period_cutoffs": "14/06,14/11",
    "report_reminder_days": 7,
    "digest_weekly": True,
    "digest_monthly": True,
    "digest_unit_heads": True,
    # The Office's own time limits, in working days: whose turn it is (hy.task.with_office).
    "office_return_days": 5,
    "office_confirmation_days": 5,
    "office_extension_days": 3,
    # A task without deadline never accepted: its officer is reminded after these working days.
    "unaccepted_days": 5,
    # Urging dispatches (công văn đôn đốc): the Office's register notation, the header and the
    # signature block as Decree 30/2020 lays them out, the reply time in working days, and the
    # day of the month of the monthly batch of drafts (0: none).
    "urge_notation": "VP-TH",
    "urge_issuer_parent": "UBND TỈNH HƯNG YÊN",
    "urge_issuer": "VĂN PHÒNG",
    "urge_place": "Hưng Yên",
    "urge_signer_title": "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG",
    "urge_signer_name": "",
    "urge_reply_days": 5,
    "urge_monthly_day": 25,
    # Requests for information (Art. 10.6): the answer date proposed, in working days.
    "info_request_days": 5,
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
        string="Unit reports due before (dd/mm)",
        help="The units' 6-month and annual reports are due before these days, as the "
        "regulation words it (Art. 19.1): before 20/06 and before 30/11. 'Before 20/06' means "
        "by 19/06 at the latest: a report sent on 20/06 (Hà Nội time) is late.",
    )
    period_cutoffs = fields.Char(
        string="6-month and annual periods end on (dd/mm)",
        help="The data cut-off of the 6-month and the annual periods (Decree 09/2019/NĐ-CP, "
        "Art. 12): each period ends on its cut-off and starts the day after the cut-off six, "
        "or twelve, months earlier. 14/06: 15/12 of the previous year to 14/06. Each cut-off "
        "comes before its report's last day: units report on a period that has ended.",
    )
    report_reminder_days = fields.Integer(string="Remind units of their report (days before)")
    unaccepted_days = fields.Integer(
        string="Remind of tasks without deadline never accepted after (working days)",
        help="A task without deadline that its unit has not accepted this many working days "
        "after its assignment is flagged to its follow-up officer, once. 0: never.",
    )
    office_return_days = fields.Integer(
        string="Decide on a returned task within (working days)",
        help="The Office's own time limit to adjust, reassign or transfer a task its unit "
        "returned (Art. 6.2.a). Meanwhile the task is not overdue against the unit.",
    )
    office_confirmation_days = fields.Integer(
        string="Confirm a reported result within (working days)",
        help="The Office's own time limit to confirm or send back a result a unit reported.",
    )
    office_extension_days = fields.Integer(
        string="Decide on an extension request within (working days)",
        help="The Office's own time limit to approve or refuse a request for more time. "
        "Meanwhile the task is not overdue against the unit.",
    )
    urge_notation = fields.Char(
        string="Notation of urging dispatches",
        help="Written after the number in the Office's register: 05/VP-TH.",
    )
    urge_issuer_parent = fields.Char(
        string="Issuer's parent authority", help="The first line of the issuer, in capitals."
    )
    urge_issuer = fields.Char(string="Issuer", help="The Office, as named under its authority.")
    urge_place = fields.Char(string="Place of issue")
    urge_signer_title = fields.Text(
        string="Signer's title",
        help="As the signature block writes it, e.g. on two lines: signing on behalf of the "
        "Chief of the Office, then the signer's own title.",
    )
    urge_signer_name = fields.Char(string="Signer's name")
    urge_reply_days = fields.Integer(
        string="Units report on an urge within (working days)",
        help="The reply date proposed on a new urging dispatch.",
    )
    urge_monthly_day = fields.Integer(
        string="Prepare the monthly urging dispatches on day",
        help="On this day of each month (the last day of a shorter month), one draft dispatch "
        "is prepared for each unit with overdue tasks, for an Office manager to check and "
        "send. 0: no monthly batch.",
    )
    info_request_days = fields.Integer(
        string="Units answer a request for information within (working days)",
        help="The answer date proposed on a new request for information.",
    )
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

    @api.model
    def _parse_period_cutoffs(self, text, year):
        """'14/06,14/11' -> the last days of the 6-month and the annual periods of ``year``.

        Each period starts the day after the cut-off six (twelve) months earlier; see
        hy.report.period._default_dates()."""
        cutoffs = []
        for part in (text or "").split(","):
            if not part.strip():
                continue
            try:
                day, month = (int(x) for x in part.strip().split("/"))
                cutoffs.append(date(year, month, day))
            except ValueError as error:
                raise ValueError(
                    _("period cut-offs are written dd/mm, e.g. 14/06,14/11")
                ) from error
        if len(cutoffs) != 2:
            raise ValueError(
                _("give two period cut-offs: the 6-month period's, then the annual period's")
            )
        return cutoffs

    @api.constrains(
        "due_soon_thresholds",
        "report_deadlines",
        "period_cutoffs",
        "stale_days",
        "report_reminder_days",
        "office_return_days",
        "office_confirmation_days",
        "office_extension_days",
        "unaccepted_days",
        "urge_reply_days",
        "urge_monthly_day",
        "info_request_days",
    )
    def _check_values(self):
        for settings in self:
            days = (
                settings.stale_days,
                settings.report_reminder_days,
                settings.office_return_days,
                settings.office_confirmation_days,
                settings.office_extension_days,
                settings.unaccepted_days,
            )
            if any(number < 0 for number in days):
                raise ValidationError(_("Numbers of days cannot be negative."))
            if settings.info_request_days < 1:
                raise ValidationError(_("Units need at least one working day to answer."))
            if settings.urge_reply_days < 1:
                raise ValidationError(_("Units need at least one working day to report."))
            if not 0 <= settings.urge_monthly_day <= 31:
                raise ValidationError(
                    _("The day of the monthly urging dispatches is a day of the month (0: none).")
                )
            # Checked on a common year: 29/02 would be refused the next one.
            try:
                self.env["hy.task"]._parse_thresholds(settings.due_soon_thresholds)
                last_days = self.env["hy.task"]._parse_report_deadlines(
                    settings.report_deadlines, 2026
                )
                cutoffs = self._parse_period_cutoffs(settings.period_cutoffs, 2026)
            except ValueError as error:
                raise ValidationError(_("Task tracking settings: %s", error)) from error
            for last_day, cutoff in zip(last_days, cutoffs, strict=False):
                if cutoff >= last_day:
                    raise ValidationError(
                        _(
                            "A report due before %(before)s would be about a period that has "
                            "not ended: its period ends on %(cutoff)s. Set a cut-off before "
                            "%(last_day)s, or a later deadline.",
                            before=(last_day + timedelta(days=1)).strftime("%d/%m"),
                            cutoff=cutoff.strftime("%d/%m"),
                            last_day=last_day.strftime("%d/%m"),
                        )
                    )

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
