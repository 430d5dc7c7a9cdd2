import base64
import os
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.hy_task_tracking.models.hy_time import hy_today, local_date
from odoo.addons.hy_task_tracking.models.hy_write_guard import UNIT_OR_OFFICE

# A unit's own report: office documents and their scans; nothing a browser would run.
ALLOWED_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".xls", ".xlsx", ".ods", ".zip", ".rar")
FORBIDDEN_MIMETYPES = (
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
    "application/xml",
    "text/xml",
)
MAX_FILE_SIZE = 10 * 1024 * 1024
MIN_TEXT_LENGTH = 20


class HyReportUnitSubmission(models.Model):
    """A unit's own 6-month or annual report on its tasks (Art. 19.1), sent through the portal."""

    _name = "hy.report.unit.submission"
    _description = "Unit's Own Report"
    _inherit = ["hy.write.guard"]
    _order = "date desc, id desc"
    _rec_name = "unit_id"
    # Who may write what (hy.write.guard): a unit writes its report and may replace it before
    # the deadline; when and by whom it was submitted, and for which unit, are the server's.
    _hy_create_fields = dict.fromkeys(
        ("period_id", "unit_id", "text", "attachment", "attachment_name"), UNIT_OR_OFFICE
    )
    _hy_write_fields = dict.fromkeys(("text", "attachment", "attachment_name"), UNIT_OR_OFFICE)
    _hy_server_write_fields = frozenset({"date", "submitted_by_id"})

    period_id = fields.Many2one(
        "hy.report.period",
        string="Report Period",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("collect_unit_reports", "=", True)],
    )
    unit_id = fields.Many2one("hy.unit", required=True, index=True, ondelete="restrict")
    text = fields.Text(string="Report", required=True)
    attachment = fields.Binary(string="File", attachment=True)
    attachment_name = fields.Char(string="File Name")
    submitted_by_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, readonly=True
    )
    date = fields.Datetime(
        string="Submitted On", default=fields.Datetime.now, required=True, readonly=True
    )
    deadline = fields.Date(related="period_id.unit_report_deadline", string="Last Day on Time")
    is_late = fields.Boolean(
        string="Submitted Late",
        compute="_compute_is_late",
        store=True,
        help="Submitted after the last day on time of the period (Asia/Ho_Chi_Minh dates): a "
        "report due 'before 20 June' is late from 20 June.",
    )

    _sql_constraints = [
        (
            "period_unit_unique",
            "unique(period_id, unit_id)",
            "A unit submits one report per period; it may replace it before the deadline.",
        ),
    ]

    @api.depends("date", "period_id.unit_report_deadline")
    def _compute_is_late(self):
        # The deadline is the last day on time (hy.task._parse_report_deadlines): sent on it,
        # whatever the hour in Hà Nội, is on time; the next day is late.
        for submission in self:
            deadline = submission.period_id.unit_report_deadline
            if not deadline or not submission.date:
                submission.is_late = False
                continue
            local_day = local_date(submission.date)
            submission.is_late = local_day > deadline

    @api.constrains("text")
    def _check_text(self):
        for submission in self:
            if len((submission.text or "").strip()) < MIN_TEXT_LENGTH:
                raise ValidationError(
                    _("The report is too short: write at least %s characters.", MIN_TEXT_LENGTH)
                )

    @api.constrains("attachment", "attachment_name")
    def _check_attachment(self):
        for submission in self:
            if submission.attachment:
                raw = base64.b64decode(submission.with_context(bin_size=False).attachment)
                self._check_file(submission.attachment_name, raw)

    @api.model
    def _check_file(self, filename, raw):
        """Refuse files of the wrong type or size, whatever their name says."""
        extension = os.path.splitext(filename or "")[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                _(
                    "Files of this type cannot be attached. Allowed types: %s.",
                    ", ".join(ALLOWED_EXTENSIONS),
                )
            )
        if len(raw) > MAX_FILE_SIZE:
            raise ValidationError(
                _("The file is too large: at most %s MB.", MAX_FILE_SIZE // (1024 * 1024))
            )
        mimetype = guess_mimetype(raw)
        if mimetype in FORBIDDEN_MIMETYPES or (
            extension == ".pdf" and mimetype != "application/pdf"
        ):
            raise ValidationError(_("The content of the file does not match its type."))

    @api.model_create_multi
    def create(self, vals_list):
        self._hy_check_fields("create", {name for vals in vals_list for name in vals})
        periods = self.env["hy.report.period"].browse([vals.get("period_id") for vals in vals_list])
        for period in periods:
            period._check_collecting()
        if not self.env.su:  # the superuser loads data, e.g. the demo's reports
            self._check_period_ended(periods)
        return super().create(vals_list)

    def write(self, vals):
        self._hy_check_fields("write", vals)
        if not self.env.su and not self.env.user.has_group("hy_task_tracking.group_office_officer"):
            for submission in self:
                submission.period_id._check_collecting()
                self._check_period_ended(submission.period_id)
                if submission.period_id._deadline_passed():
                    raise UserError(
                        _(
                            "The deadline for reports of this period has passed: your report "
                            "can no longer be replaced."
                        )
                    )
            vals = dict(vals, date=fields.Datetime.now(), submitted_by_id=self.env.uid)
        return super().write(vals)

    # ------------------------------------------------------------------ business methods

    @api.model
    def _check_period_ended(self, periods):
        """A unit reports on a period that has ended (Art. 19.1): from the day after its last
        day, in Hà Nội."""
        today = hy_today()
        for period in periods:
            if period.date_to >= today:
                raise UserError(
                    _(
                        "Report period %(period)s runs until %(date_to)s: your unit reports on "
                        "it once it has ended, from %(first_day)s.",
                        period=period.display_name,
                        date_to=period.date_to.strftime("%d/%m/%Y"),
                        first_day=(period.date_to + timedelta(days=1)).strftime("%d/%m/%Y"),
                    )
                )
