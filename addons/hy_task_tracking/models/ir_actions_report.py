import io
import logging

import lxml.html
import weasyprint

from odoo import models

DISPATCH_REPORT = "hy_task_tracking.report_hy_urge_dispatch"
# WeasyPrint logs each step of each print at INFO (seven lines a document): its warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
# Our documents load nothing from outside: no server, no file but their stylesheets.
NO_FETCHING = weasyprint.URLFetcher(allowed_protocols=())


def css_string(text):
    """``text`` as a CSS string literal."""
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def page_size(paperformat):
    """The CSS page size of an Odoo paper format."""
    if paperformat.format == "custom":
        size = f"{paperformat.page_width}mm {paperformat.page_height}mm"
    else:
        size = paperformat.format
    return f"{size} {'landscape' if paperformat.orientation == 'Landscape' else 'portrait'}"


def print_articles(html, stylesheets):
    """[(record id, PDF)]: each record of a report's ``html`` (its div.article, with data-oe-id
    and data-oe-lang) printed by WeasyPrint on its own, in one run, its pages numbered from 1.

    ``stylesheets(lang)`` gives the weasyprint.CSS of a record in language ``lang``."""
    documents = []
    root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
    for article in root.find_class("article"):
        lang = article.get("data-oe-lang") or "en_US"
        document = weasyprint.HTML(
            string='<html lang="%s"><head><meta charset="utf-8"/></head><body>%s</body></html>'
            % (lang.replace("_", "-"), lxml.html.tostring(article, encoding="unicode")),
            url_fetcher=NO_FETCHING,
        )
        documents.append(
            (int(article.get("data-oe-id")), document.write_pdf(stylesheets=stylesheets(lang)))
        )
    return documents


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """The urging dispatch is printed by WeasyPrint, not wkhtmltopdf: one run a dispatch,
        the sizes as written whatever wkhtmltopdf is installed, the table's header repeated on
        each page, the page number at the top from page 2 on (Decree 30/2020/NĐ-CP)."""
        report = self._get_report(report_ref)
        if report.report_name != DISPATCH_REPORT:
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        html = self._render_qweb_html(report_ref, res_ids, data=data)[0]
        paper = report.get_paperformat()
        pages = weasyprint.CSS(
            string=f"""
            @page {{
                size: {page_size(paper)};
                margin: {paper.margin_top}mm {paper.margin_right}mm {paper.margin_bottom}mm
                        {paper.margin_left}mm;
                @top-center {{
                    content: counter(page);
                    font-family: "Times New Roman", "Liberation Serif", serif;
                    font-size: 13pt;
                }}
            }}
            @page :first {{ @top-center {{ content: none; }} }}
            """
        )
        return {
            res_id: {"stream": io.BytesIO(pdf), "attachment": None}
            for res_id, pdf in print_articles(html, lambda lang: [pages])
        }
