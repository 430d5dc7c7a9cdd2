import functools
import io
import re
from copy import deepcopy

import lxml.html
from lxml import etree
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas

from odoo import api, models
from odoo.tools.misc import formatLang
from odoo.tools.pdf import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    PdfFileReader,
    PdfFileWriter,
)

from odoo.addons.hy_task_tracking.models.hy_time import hy_today

from ..models.hy_report_period import TOTAL_FIELDS
from ..models.report_figures import CATEGORY_ORDER, has_base

# The marks of a probe run (see _paged_body): "@hy<table>.<row>@", row -1 for the header.
PROBE_MARK = re.compile(r"@hy(\d+)\.(-?\d+)@")
# Fonts of the page numbers: those of the body (report_period.scss), with Vietnamese glyphs.
# reportlab finds the files in the usual font directories.
PAGE_NUMBER_FONTS = (
    ("TimesNewRoman", "times.ttf"),
    ("LiberationSerif", "LiberationSerif-Regular.ttf"),
    ("NotoSerif", "NotoSerif-Regular.ttf"),
    ("DejaVuSerif", "DejaVuSerif.ttf"),
)
PAGE_NUMBER_SIZE = 11


@functools.cache
def _page_number_font():
    """The first font of PAGE_NUMBER_FONTS on this machine, registered in reportlab."""
    for name, file_name in PAGE_NUMBER_FONTS:
        try:
            pdfmetrics.registerFont(TTFont(name, file_name))
        except TTFError:
            continue
        return name
    return "Times-Roman"  # reportlab's own: Latin-1 only, but "Trang 1/2" needs no more


def _pdf_stream(data):
    stream = DecodedStreamObject()
    stream.setData(data)
    return stream


class ReportHyReportPeriod(models.AbstractModel):
    """Values of the PDF report: a Vietnamese administrative report (Decree 30/2020/NĐ-CP)."""

    _name = "report.hy_task_reports.report_hy_report_period"
    _description = "Task Report (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        periods = self.env["hy.report.period"].browse(docids)
        if not docids or any(not 0 < docid <= 2147483647 for docid in docids):
            # /report/pdf/…/-1 or a number beyond the database's: refused like a missing id.
            periods = self.env["hy.report.period"].browse([0])
        periods._check_report_access()
        self._log_classified_print(periods)
        return {
            "doc_ids": docids,
            "doc_model": "hy.report.period",
            "docs": periods,
            "helper": self,
        }

    def _log_classified_print(self, periods):
        """Printing a report that counts tasks of classified directives is traced.

        The report shows only counts, but the access log records which classified directives
        the printed figures cover (their number and level, never content).
        """
        # sudo: the directives counted may be above the user's clearance; only their ids are
        # read here, to write the log row, never shown.
        entries = (
            self.env["hy.report.entry"]
            .sudo()  # sudo: see the comment above
            ._read_group(
                [("period_id", "in", periods.ids), ("is_classified", "=", True)], ["directive_id"]
            )
        )
        directives = self.env["hy.directive"].union(*(directive for (directive,) in entries))
        if directives:
            self.env["hy.classified.access.log"]._log(directives, "print")

    # ------------------------------------------------------------------ helpers of the template

    def _paragraphs(self, text):
        """Paragraphs of a free text, each one indented as the body of the document."""
        return [paragraph.strip() for paragraph in (text or "").splitlines() if paragraph.strip()]

    def _date(self, day):
        return day.strftime("%d/%m/%Y") if day else ""

    def _number(self, value, digits=0):
        return formatLang(self.env, value, digits=digits)

    def _rate(self, figures, name):
        """Rate ``name`` of ``figures`` (a line, or _my_totals()), or "–" when it has nothing
        to count: a rate of no task is not 0."""
        if not has_base(figures, name):
            return "–"
        return self._number(figures[name], 1 if name == "avg_delay_days" else 2)

    def _figure(self, value):
        """A count, or "–" for one the report did not count (None)."""
        return "–" if value is None else self._number(value)

    def _my_totals(self, period):
        """The totals of the lines the reader reads (my_*), by the names of the figures."""
        return {name: period[f"my_{name}"] for name in TOTAL_FIELDS}

    def _reads_office(self, period):
        """Whether the reader reads the Office's own line (as the province's totals)."""
        return period._reads_office_figures()

    def _place_date(self, period):
        """E.g. "ngày 05 tháng 02 năm 2026"; blanks when the document is not dated yet."""
        _ = self.env._
        day = period.document_date
        if not day:
            return _(
                "day %(day)s month %(month)s year %(year)s",
                day="\u00a0" * 6,
                month="\u00a0" * 6,
                year=hy_today().year,
            )
        # Decree 30/2020: a zero before days under 10 and months under 3.
        day_text = str(day.day).zfill(2)
        month_text = str(day.month).zfill(2) if day.month < 3 else str(day.month)
        return _(
            "day %(day)s month %(month)s year %(year)s",
            day=day_text,
            month=month_text,
            year=day.year,
        )

    def _period_line(self, period):
        return self.env._(
            "Period: from %(from)s to %(to)s; figures as of %(as_of)s.",
            **{
                "from": self._date(period.date_from),
                "to": self._date(period.date_to),
                "as_of": self._date(period._as_of()),
            },
        )

    def _summary(self, period):
        """The paragraphs of "General situation", built from the totals of the lines printed
        (my_*): a unit's own; every line, the province's totals, for the Office and the
        leadership."""
        _ = self.env._
        n, p = self._number, period
        if has_base(self._my_totals(p), "on_time_rate"):
            done = _(
                "Done, confirmed by the Office: %(done)s tasks, %(on_time)s on time and %(late)s "
                "late; on-time rate of those with a deadline: %(rate)s%%.",
                done=n(p.my_done_count),
                on_time=n(p.my_done_on_time_count),
                late=n(p.my_done_late_count),
                rate=n(p.my_on_time_rate, 2),
            )
        else:
            # No confirmed result with a deadline: no on-time rate, rather than 0 %.
            done = _(
                "Done, confirmed by the Office: %(done)s tasks, %(on_time)s on time and %(late)s "
                "late; no confirmed result with a deadline to give an on-time rate.",
                done=n(p.my_done_count),
                on_time=n(p.my_done_on_time_count),
                late=n(p.my_done_late_count),
            )
        paragraphs = [
            _(
                "Tasks counted in the period: %(assigned)s, of which %(no_deadline)s without "
                "deadline and %(classified)s of classified directives (shown as counts only).",
                assigned=n(p.my_assigned_count),
                no_deadline=n(p.my_no_deadline_count),
                classified=n(p.my_classified_count),
            ),
            done,
            _(
                "In progress: %(total)s tasks, %(on_time)s on time and %(overdue)s overdue.",
                total=n(p.my_in_progress_on_time_count + p.my_in_progress_overdue_count),
                on_time=n(p.my_in_progress_on_time_count),
                overdue=n(p.my_in_progress_overdue_count),
            ),
            _(
                "Not started: %(total)s tasks, %(on_time)s on time and %(overdue)s overdue.",
                total=n(p.my_not_started_on_time_count + p.my_not_started_overdue_count),
                on_time=n(p.my_not_started_on_time_count),
                overdue=n(p.my_not_started_overdue_count),
            ),
        ]
        if p.my_done_late_count and p.delay_unit == "calendar":
            paragraphs.append(
                _(
                    "Tasks done late were on average %(days)s days late.",
                    days=n(p.my_avg_delay_days, 1),
                )
            )
        elif p.my_done_late_count:
            paragraphs.append(
                _(
                    "Tasks done late were on average %(days)s working days late.",
                    days=n(p.my_avg_delay_days, 1),
                )
            )
        if p.my_awaiting_confirmation_count:
            paragraphs.append(
                _(
                    "Reported done by the units but not yet confirmed by the Office at the end "
                    "of the period: %(awaiting)s tasks (not counted as done).",
                    awaiting=n(p.my_awaiting_confirmation_count),
                )
            )
        if p.turns_counted:
            paragraphs.append(
                _(
                    "Whose turn it was: the tasks counted were with the units for %(unit)s "
                    "working days of the period and waited for the Office for %(office)s "
                    "(returned, a result to confirm, an extension to decide).",
                    unit=n(p.my_unit_days),
                    office=n(p.my_office_days),
                )
            )
        paragraphs.append(
            _(
                "Units sent back %(returned)s tasks that still await adjustment; %(transferred)s "
                "tasks moved from one unit to another within the period and %(extended)s had "
                "their deadline extended.",
                returned=n(p.my_returned_count),
                transferred=n(p.my_transferred_in_count),
                extended=n(p.my_extended_count),
            )
        )
        return paragraphs

    def _categories(self):
        return CATEGORY_ORDER

    def _no_orphan(self, text):
        """``text`` for a centred title, which never ends with a word alone on its line: its
        last clause stays on one line if short (the last authority: "Chủ tịch UBND tỉnh
        giao"), else its last three words."""
        words = text.split(" ")
        clause = text.rpartition(", ")[2].count(" ") + 1
        keep = clause if clause <= 5 else 3
        return " ".join([*words[:-keep], "\u00a0".join(words[-keep:])])

    # ------------------------------------------------------------------ pages of the PDF

    def _paged_body(self, body, breaks=(), probe=False):
        """The HTML of one document for wkhtmltopdf (see ir.actions.report._run_wkhtmltopdf).

        Its tables are numbered in the order of the document, their rows from 0 and their
        header -1. ``breaks`` holds (table, row) pairs: the row starts a new page after a copy
        of its table's header, or the header starts a new page with its heading. With
        ``probe``, the header and each row carry a mark that _next_break() reads in the PDF.
        """
        if not breaks and not probe:
            return body
        root = lxml.html.document_fromstring(body)
        if probe:
            for report in root.find_class("o_hy_report"):
                report.set("class", f"{report.get('class')} o_hy_probing")
        for table, paged in enumerate(root.find_class("o_hy_paged")):
            head = paged.find_class("o_hy_head")[0]
            for row, block in [(-1, head), *enumerate(paged.find_class("o_hy_row"))]:
                if (table, row) in breaks and row == -1:
                    head.set("class", f"{head.get('class')} o_hy_break")
                elif (table, row) in breaks:
                    repeat = etree.Element("div", {"class": "o_hy_head o_hy_break"})
                    repeat.append(deepcopy(head.find("table")))
                    block.addprevious(repeat)
                if probe:
                    mark = etree.Element("span", {"class": "o_hy_probe"})
                    mark.text = f"@hy{table}.{row}@"
                    block.insert(0, mark)
        return lxml.html.tostring(root.getroottree(), encoding="unicode")

    def _next_break(self, pdf, breaks):
        """The first page break, in the order of the document, that the probe ``pdf`` needs
        besides ``breaks``: before a row that starts a page without its table's header, or
        before a header left alone at the bottom of a page; None if the pages are right.

        Only the first: a header repeated there moves everything after it.
        """
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        pages = {}
        for number in range(reader.getNumPages()):
            page = reader.getPage(number)
            # PyPDF2 1.x (Odoo 18 on Python 3.10) has only extractText().
            text = page.extract_text() if hasattr(page, "extract_text") else page.extractText()
            for table, row in PROBE_MARK.findall(text):
                pages[int(table), int(row)] = number
        for (table, row), page in sorted(pages.items()):
            if row >= 0 and pages.get((table, row - 1), page) != page:
                missing = (table, row or -1)
                if missing not in breaks:
                    return missing
        return None

    def _stamp_page_numbers(self, pdf, paperformat):
        """``pdf`` with "Page x/y" in the middle of the bottom margin of each page."""
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        total = reader.getNumPages()
        stamps = io.BytesIO()
        stamp = canvas.Canvas(
            stamps, initialFontName=_page_number_font(), initialFontSize=PAGE_NUMBER_SIZE
        )
        for number in range(total):
            box = reader.getPage(number).mediaBox
            width, height = float(box.getWidth()), float(box.getHeight())
            stamp.setPageSize((width, height))
            stamp.drawCentredString(
                (paperformat.margin_left * mm + width - paperformat.margin_right * mm) / 2,
                paperformat.margin_bottom * mm / 2,
                self.env._("Page %(page)s/%(total)s", page=number + 1, total=total),
            )
            stamp.showPage()
        stamp.save()
        stamped = PdfFileReader(stamps, strict=False)
        writer = PdfFileWriter()
        for number in range(total):
            page, stamp_page = reader.getPage(number), stamped.getPage(number)
            # The number is a form drawn over the page's content, kept as it is: merging the
            # pages (mergePage) would parse and rewrite every table and grow the file tenfold.
            form = _pdf_stream(stamp_page["/Contents"].getData())
            form.update(
                {
                    NameObject("/Type"): NameObject("/XObject"),
                    NameObject("/Subtype"): NameObject("/Form"),
                    NameObject("/BBox"): stamp_page["/MediaBox"],
                    NameObject("/Resources"): stamp_page["/Resources"],
                }
            )
            name = NameObject(f"/HyPageNumber{number}")
            resources = page["/Resources"]
            if "/XObject" not in resources:
                resources[NameObject("/XObject")] = DictionaryObject()
            resources["/XObject"][name] = writer._addObject(form)
            contents = page["/Contents"]
            contents = list(contents) if isinstance(contents, list) else [page.raw_get("/Contents")]
            page[NameObject("/Contents")] = ArrayObject(
                [
                    writer._addObject(_pdf_stream(b"q\n")),
                    *contents,
                    writer._addObject(_pdf_stream(b"\nQ %s Do\n" % name.encode())),
                ]
            )
            writer.addPage(page)
        result = io.BytesIO()
        writer.write(result)
        return result.getvalue()
