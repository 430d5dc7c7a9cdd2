import io

from odoo import api, models
from odoo.exceptions import UserError

PERIOD_REPORT = "hy_task_reports.report_hy_report_period"
# A period takes seconds to print (WeasyPrint, about 1 ms per table cell): any user may ask
# for many ids in one /report/... address, so the reports of our models print a bounded
# number of them.
MAX_REPORT_RECORDS = 20


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _hy_report_ids(self, report_ref, res_ids):
        """The ids to print for a report of our models: each once, in the order given, and
        at most MAX_REPORT_RECORDS of them. Other reports print as Odoo prints them (they may
        print a record twice on purpose)."""
        if not res_ids or isinstance(res_ids, int) or len(res_ids) == 1:
            return res_ids
        if not self._get_report(report_ref).model.startswith("hy."):
            return res_ids
        unique = list(dict.fromkeys(res_ids))
        if len(unique) > MAX_REPORT_RECORDS:
            raise UserError(
                self.env._(
                    "At most %s reports can be printed at once: please select fewer.",
                    MAX_REPORT_RECORDS,
                )
            )
        return unique

    # The routes /report/pdf|html|text/<report>/<ids> and the print menu all come through these.

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        res_ids = self._hy_report_ids(report_ref, res_ids)
        report = self._get_report(report_ref)
        if report.report_name == PERIOD_REPORT and not self.env.context.get("hy_render_files"):
            # An approved report is served as it was made once (hy_report_period_files); a
            # draft, or a unit's own view, is rendered now, one at a time per user.
            Period = self.env["hy.report.period"]
            ids = [res_ids] if isinstance(res_ids, int) else list(res_ids or ())
            if len(ids) == 1 and 0 < ids[0] <= 2147483647:
                stored = Period.browse(ids)._stored_file("pdf_file")
                if stored is not None:
                    return stored, "pdf"
            Period._render_lock()
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        docids = self._hy_report_ids(report_ref, docids)
        return super()._render_qweb_html(report_ref, docids, data=data)

    @api.model
    def _render_qweb_text(self, report_ref, docids, data=None):
        docids = self._hy_report_ids(report_ref, docids)
        return super()._render_qweb_text(report_ref, docids, data=data)

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """The periodic report is printed by WeasyPrint, not wkhtmltopdf: one run per period,
        from its HTML (rendered as for /report/html, with its access checks) and a stylesheet
        read from disk, without a server: its tables repeat their header on each page, its
        pages are numbered "Trang x/y" (see report.hy_task_reports.report_hy_report_period)."""
        report = self._get_report(report_ref)
        if report.report_name != PERIOD_REPORT:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        html = self._render_qweb_html(report_ref, res_ids, data=data)[0]
        printer = self.env[f"report.{PERIOD_REPORT}"]
        return {
            res_id: {"stream": io.BytesIO(pdf), "attachment": None}
            for res_id, pdf in printer._print_pdf(html, report.get_paperformat())
        }
