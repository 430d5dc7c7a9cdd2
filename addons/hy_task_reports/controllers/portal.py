import base64
from datetime import timedelta

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.hy_task_tracking.controllers.routing import RECORD_ID
from odoo.addons.hy_task_tracking.models.hy_time import hy_today
from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.hy_report_unit_submission import MAX_FILE_SIZE


class HyReportPortal(CustomerPortal):
    """Units send their own 6-month and annual reports through the portal (Art. 19.1)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "hy_report_open_count" in counters:
            values["hy_report_open_count"] = (
                len(self._hy_open_periods()) if request.env.user.hy_unit_ids else 0
            )
        return values

    def _hy_open_periods(self):
        # Searched as the user: record rules let units see the periods collecting reports.
        Period = request.env["hy.report.period"]
        if not Period.has_access("read"):
            return Period
        return Period.search(
            [("collect_unit_reports", "=", True), ("state", "in", ("draft", "computed"))],
            order="unit_report_deadline asc, id desc",
        )

    def _hy_report_values(self, errors=None, form=None, message=None):
        units = request.env.user.hy_unit_ids
        periods = self._hy_open_periods()
        Submission = request.env["hy.report.unit.submission"]
        submissions = (
            Submission.search([("period_id", "in", periods.ids), ("unit_id", "in", units.ids)])
            if periods and units
            else Submission
        )
        today = hy_today()
        rows = []
        for period in periods:
            for unit in units & period.expected_unit_ids:
                rows.append(
                    {
                        "period": period,
                        "unit": unit,
                        "submission": submissions.filtered(
                            lambda s, p=period, u=unit: s.period_id == p and s.unit_id == u
                        ),
                        "deadline_passed": period._deadline_passed(),
                        # A unit reports on a period that has ended (the model refuses it too).
                        "ended": period.date_to < today,
                        "opens_on": period.date_to + timedelta(days=1),
                        "due_before": period.unit_report_deadline
                        and period.unit_report_deadline + timedelta(days=1),
                    }
                )
        return {
            "page_name": "hy_reports",
            "rows": rows,
            "errors": errors or {},
            "form": form or {},
            "message": message,
            "report_rule": self._hy_report_rule(),
            "file_label": request.env._(
                "Signed report (PDF, Word, Excel, OpenDocument, ZIP or RAR; at most %s MB)",
                MAX_FILE_SIZE // (1024 * 1024),
            ),
        }

    def _hy_report_rule(self):
        """The rule of the units' reports, in the settings' words and their last days."""
        _ = request.env._
        settings = request.env["hy.settings"]
        year = hy_today().year
        text = settings._hy_param("report_deadlines")
        last_days = request.env["hy.task"]._parse_report_deadlines(text, year)
        if len(last_days) != 2:
            return ""
        words = [
            {"before": (day + timedelta(days=1)).strftime("%d/%m"), "last": day.strftime("%d/%m")}
            for day in last_days
        ]
        return _(
            "Each unit reports on the tasks assigned to it every six months (before %(six)s, "
            "that is by %(six_last)s at the latest) and every year (before %(year)s, that is by "
            "%(year_last)s at the latest), on a period that has ended. A report sent after the "
            "last day is received but marked late; a report sent on time can be replaced until "
            "the last day.",
            six=words[0]["before"],
            six_last=words[0]["last"],
            year=words[1]["before"],
            year_last=words[1]["last"],
        )

    @http.route("/my/hy_reports", type="http", auth="user", website=True)
    def portal_my_hy_reports(self, submitted=None, **kwargs):
        message = request.env._("Your report has been received.") if submitted else None
        return request.render(
            "hy_task_reports.portal_my_hy_reports", self._hy_report_values(message=message)
        )

    @http.route(
        f"/my/hy_reports/<{RECORD_ID}:period_id>/submit",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_submit_hy_report(self, period_id, unit_id=None, text=None, file=None, **kwargs):
        _ = request.env._
        env = request.env
        errors = {}
        form = {"period_id": period_id, "unit_id": unit_id, "text": text or ""}
        period = env["hy.report.period"].browse(period_id)
        try:
            period.check_access("read")
            period = period.exists()
        except (AccessError, MissingError):
            period = env["hy.report.period"]
        unit = env.user.hy_unit_ids.filtered(lambda u: str(u.id) == str(unit_id))
        if not period:
            errors["general"] = _("This report period does not exist or is not open to you.")
        elif not unit or unit not in period.expected_unit_ids:
            errors["general"] = _("You can only send the report of your own unit.")
        text = (text or "").strip()
        if not text:
            errors["text"] = _("Please write your unit's report.")
        vals = {"text": text}
        if file and getattr(file, "filename", None):
            raw = file.read()
            try:
                env["hy.report.unit.submission"]._check_file(file.filename, raw)
            except ValidationError as error:
                errors["file"] = error.args[0]
            vals.update(attachment=base64.b64encode(raw), attachment_name=file.filename)
        if not errors:
            existing = env["hy.report.unit.submission"].search(
                [("period_id", "=", period.id), ("unit_id", "=", unit.id)], limit=1
            )
            try:
                # As the user: ACLs and record rules apply; the model checks the deadline.
                with env.cr.savepoint():
                    if existing:
                        existing.write(vals)
                    else:
                        env["hy.report.unit.submission"].create(
                            dict(vals, period_id=period.id, unit_id=unit.id)
                        )
            except (UserError, ValidationError, AccessError) as error:
                errors["general"] = error.args[0]
        if errors:
            return request.render(
                "hy_task_reports.portal_my_hy_reports",
                self._hy_report_values(errors=errors, form=form),
                status=400,
            )
        return request.redirect("/my/hy_reports?submitted=1")
