import csv
import io
import json
import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request
from odoo.tools import format_date

from odoo.addons.hy_task_tracking.controllers.routing import RECORD_ID

from ..models.report_figures import CHART_SEGMENTS
from ..tools.chart import stacked_bars

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A figure with nothing to count (null in the JSON) reads as on the page and in the PDF.
CSV_EMPTY = "–"


def safe_filename(name):
    return re.sub(r"[^\w.-]+", "_", name or "report").strip("_") or "report"


class HyReportController(http.Controller):
    # ------------------------------------------------------------------ XLSX (logged-in users)

    @http.route(f"/hy_task_reports/period/<{RECORD_ID}:period_id>/xlsx", type="http", auth="user")
    def period_xlsx(self, period_id, **kwargs):
        """The XLSX of a period, built as the current user: record rules decide what it holds."""
        period = request.env["hy.report.period"].browse(period_id)
        try:
            period = period.exists()
            period._check_report_access()
        except (AccessError, MissingError):
            raise NotFound() from None
        if not period:
            raise NotFound()
        # The Office and the leadership: the file stored when the report was approved; a
        # draft, or a unit's own view, rendered now (one at a time per user).
        content = period._stored_file("xlsx_file")
        if content is None:
            period._render_lock()
            content = request.env["report.hy_task_reports.period_xlsx"]._generate(period)
        filename = f"{safe_filename(period.name)}-r{period.revision}.xlsx"
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    # ------------------------------------------------------------------ public results (Art. 18.2)

    def _public_lang(self):
        """The results page is for the citizens of the province: Vietnamese, when installed,
        unless the visitor chose another language of the site."""
        Lang = request.env["res.lang"]
        for code in (request.cookies.get("frontend_lang"), "vi_VN"):
            if code and Lang._get_code(code):
                request.update_context(lang=code)
                return

    def _published_period(self, period_id):
        data = request.env["hy.report.period"]._public_data(period_id)
        if not data:
            raise NotFound()
        return data[0]

    def _period_label(self, period):
        """The period as "Six-month: 01/01/2026 – 30/06/2026", its dates in the visitor's
        language; the CSV and the JSON keep the model's period_label."""
        return request.env._(
            "%(kind)s: %(from)s – %(to)s",
            kind=period["kind_label"],
            **{
                "from": format_date(request.env, period["date_from"]),
                "to": format_date(request.env, period["date_to"]),
            },
        )

    @http.route("/bao-cao-nhiem-vu", type="http", auth="public", website=True, sitemap=True)
    def public_periods(self, **kwargs):
        self._public_lang()
        periods = [
            dict(period, period_label=self._period_label(period))
            for period in request.env["hy.report.period"]._public_data()
        ]
        return request.render("hy_task_reports.public_period_list", {"periods": periods})

    @http.route(
        f"/bao-cao-nhiem-vu/<{RECORD_ID}:period_id>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def public_period(self, period_id, **kwargs):
        self._public_lang()
        period = self._published_period(period_id)
        _ = request.env._
        as_of = format_date(request.env, period["as_of"])
        summary = [self._period_label(period) + ".", _("Figures as of %s.", as_of)]
        if period["document_number"]:
            summary.append(_("Report No. %s.", period["document_number"]))
        if period["revision"] > 1:
            summary.append(_("Revision %s.", period["revision"]))
        chart = stacked_bars(
            period["lines"], CHART_SEGMENTS, request.env["hy.report.period"]._category_labels()
        )
        # The phone's list draws each status as a bar of its own, against the largest unit.
        widest = max((bar["total"] for bar in chart["bars"]), default=0) or 1
        for bar in chart["bars"]:
            for segment in bar["segments"]:
                segment["percent"] = round(100 * segment["count"] / widest, 1)
        return request.render(
            "hy_task_reports.public_period_detail",
            {"period": period, "summary": " ".join(summary), "chart": chart},
        )

    @http.route(
        f"/bao-cao-nhiem-vu/<{RECORD_ID}:period_id>.pdf", type="http", auth="public", sitemap=False
    )
    def public_period_pdf(self, period_id, **kwargs):
        """The signed PDF of a published report, as it was made once (its SHA-256 is on the
        page): the units' figures without their tasks of classified directives."""
        content = request.env["hy.report.period"]._public_pdf(period_id)
        if not content:
            raise NotFound()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", content_disposition(f"bao-cao-nhiem-vu-{period_id}.pdf")),
                # Made once and never changed: browsers and proxies may keep it.
                ("Cache-Control", "public, max-age=86400"),
            ],
        )

    @http.route(
        f"/bao-cao-nhiem-vu/<{RECORD_ID}:period_id>.pem", type="http", auth="public", sitemap=False
    )
    def public_period_certificate(self, period_id, **kwargs):
        """The certificate that signed the published PDF: a reader imports it (or its
        certification authority's) into a PDF reader, or gives it to pdfsig / pyHanko."""
        pem = request.env["hy.report.period"]._public_certificate(period_id)
        if not pem:
            raise NotFound()
        return request.make_response(
            pem,
            headers=[
                ("Content-Type", "application/x-pem-file"),
                ("Content-Disposition", content_disposition(f"chung-thu-so-{period_id}.pem")),
            ],
        )

    @http.route(
        f"/bao-cao-nhiem-vu/<{RECORD_ID}:period_id>.csv", type="http", auth="public", sitemap=False
    )
    def public_period_csv(self, period_id, **kwargs):
        period = self._published_period(period_id)
        output = io.StringIO()
        columns = request.env["hy.report.period"]._public_columns()
        writer = csv.writer(output)
        writer.writerow(["period", "period_name", "date_from", "date_to", *columns])
        for line in period["lines"]:
            writer.writerow(
                [
                    period["id"],
                    period["name"],
                    period["date_from"],
                    period["date_to"],
                    *(CSV_EMPTY if line[c] is None else line[c] for c in columns),
                ]
            )
        writer.writerow(
            [
                period["id"],
                period["name"],
                period["date_from"],
                period["date_to"],
                *(
                    CSV_EMPTY
                    if period["totals"].get(c, "") is None
                    else period["totals"].get(c, "")
                    for c in columns
                ),
            ]
        )
        return request.make_response(
            # A BOM so that spreadsheet programs read the Vietnamese names as UTF-8.
            "\ufeff" + output.getvalue(),
            headers=[
                ("Content-Type", "text/csv; charset=utf-8"),
                (
                    "Content-Disposition",
                    content_disposition(f"bao-cao-nhiem-vu-{period['id']}.csv"),
                ),
            ],
        )

    @http.route(
        f"/bao-cao-nhiem-vu/<{RECORD_ID}:period_id>.json", type="http", auth="public", sitemap=False
    )
    def public_period_json(self, period_id, **kwargs):
        period = self._published_period(period_id)
        return request.make_response(
            json.dumps(period, ensure_ascii=False, indent=1),
            headers=[("Content-Type", "application/json; charset=utf-8")],
        )
