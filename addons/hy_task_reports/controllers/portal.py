import base64

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.hy_task_tracking.controllers.routing import RECORD_ID
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
                    }
                )
        return {
            "page_name": "hy_reports",
            "rows": rows,
            "errors": errors or {},
            "form": form or {},
            "message": message,
            "file_label": request.env._(
                "Signed report (PDF, Word, Excel, OpenDocument, ZIP or RAR; at most %s MB)",
                MAX_FILE_SIZE // (1024 * 1024),
            ),
        }

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
