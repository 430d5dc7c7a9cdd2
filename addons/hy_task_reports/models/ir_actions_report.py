from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

PERIOD_REPORT = "hy_task_reports.report_hy_report_period"
# A period takes seconds to print (probe runs of wkhtmltopdf): any user may ask for many ids
# in one /report/... address, so the reports of our models print a bounded number of them.
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
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)

    @api.model
    def _render_qweb_html(self, report_ref, docids, data=None):
        docids = self._hy_report_ids(report_ref, docids)
        return super()._render_qweb_html(report_ref, docids, data=data)

    @api.model
    def _render_qweb_text(self, report_ref, docids, data=None):
        docids = self._hy_report_ids(report_ref, docids)
        return super()._render_qweb_text(report_ref, docids, data=data)

    def _build_wkhtmltopdf_args(self, *args, **kwargs):
        command_args = super()._build_wkhtmltopdf_args(*args, **kwargs)
        if self.env.context.get("hy_report_probe"):
            # A probe run only tells where the pages break: no script to wait for.
            command_args[command_args.index("--javascript-delay") + 1] = "0"
        return command_args

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, **kwargs):
        """The periodic report: its tables repeat their header on each page they continue on,
        and its pages are numbered "Page x/y", whatever wkhtmltopdf prints it.

        Debian's wkhtmltopdf (Qt without wkhtmltopdf's patches) repeats no <thead>, ignores
        --footer-html and prints one HTML document per run. So each document is printed on its
        own: probe runs tell on which page each table row falls, until each page a table
        continues on starts with a copy of its header; then the page numbers are stamped on
        the PDF, their only source: the report calls none of Odoo's layouts, whose header and
        footer (with "Page x / y") the patched wkhtmltopdf would print in the margins.
        """
        report = report_ref and self._get_report(report_ref)
        if not report or report.report_name != PERIOD_REPORT:
            return super()._run_wkhtmltopdf(bodies, report_ref=report_ref, **kwargs)
        # Empty, without those layouts: not even the patched wkhtmltopdf has to load them.
        kwargs.update(header=None, footer=None)
        layout = self.env[f"report.{PERIOD_REPORT}"].with_context(
            lang=self.env["hy.report.period"]._report_lang()
        )
        prober = super(IrActionsReport, self.with_context(hy_report_probe=True))
        documents = []
        for body in bodies:
            # One probe more than the pages a table continues on: each adds a page break.
            breaks = set()
            while True:
                probe = layout._paged_body(body, breaks, probe=True)
                pdf = prober._run_wkhtmltopdf([probe], report_ref=report_ref, **kwargs)
                missing = layout._next_break(pdf, breaks)
                if not missing:
                    break
                breaks.add(missing)
            final = layout._paged_body(body, breaks)
            pdf = super()._run_wkhtmltopdf([final], report_ref=report_ref, **kwargs)
            documents.append(layout._stamp_page_numbers(pdf, report.get_paperformat()))
        return documents[0] if len(documents) == 1 else merge_pdf(documents)
