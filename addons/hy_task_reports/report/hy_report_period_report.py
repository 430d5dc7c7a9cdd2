import functools

import weasyprint

from odoo import api, models
from odoo.tools.misc import file_path, formatLang

from odoo.addons.hy_task_tracking.models.hy_time import hy_today
from odoo.addons.hy_task_tracking.models.ir_actions_report import (
    css_string,
    page_size,
    print_articles,
)

from ..models.hy_report_period import TOTAL_FIELDS
from ..models.report_figures import CATEGORY_ORDER, has_base

# The report's own stylesheet: WeasyPrint reads it from disk, without Odoo's asset bundles
# (Bootstrap, fetched from a server). The HTML preview has it in web.report_assets_common.
STYLESHEET = "hy_task_reports/static/src/css/report_period.css"
# The page numbers: the font of the body (STYLESHEET), smaller.
PAGE_CSS = """
@page {
    size: %(size)s;
    margin: %(top)smm %(right)smm %(bottom)smm %(left)smm;
    @bottom-center {
        content: %(number)s;
        font-family: "Times New Roman", "Liberation Serif", "Noto Serif", "DejaVu Serif", serif;
        font-size: 11pt;
    }
}
"""


@functools.cache
def _stylesheet():
    return weasyprint.CSS(filename=file_path(STYLESHEET))


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
        if not digits and isinstance(value, int) and -1000 < value < 1000:
            return str(value)  # as formatLang writes it, without its cost for every count
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
        if p.urges_counted and p.my_urge_count:
            paragraphs.append(
                _(
                    "The Office urged the units %(urges)s times within the period, about "
                    "%(tasks)s tasks (urging dispatches, phone calls, meetings).",
                    urges=n(p.my_urge_count),
                    tasks=n(p.my_urged_task_count),
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

    # ------------------------------------------------------------------ the PDF

    def _print_pdf(self, html, paperformat):
        """[(period id, PDF)] of the report's ``html``: each period (div.article) printed by
        WeasyPrint on its own, its pages numbered from 1 to its own last page."""

        def stylesheets(lang):
            page_css = self.with_context(lang=lang)._page_css(paperformat)
            return [_stylesheet(), weasyprint.CSS(string=page_css)]

        return print_articles(html, stylesheets)

    def _page_css(self, paperformat):
        """The pages of ``paperformat`` (Decree 30/2020: A4, margins 20/20/30/15 mm), numbered
        "Page x/y" in the report's language in the middle of their bottom margin."""
        number = self.env._("Page %(page)s/%(total)s", page="\0page\0", total="\0pages\0")
        # "Trang \0page\0/\0pages\0": text, counter, text, counter, text.
        number = " ".join(
            f"counter({part})" if index % 2 else css_string(part)
            for index, part in enumerate(number.split("\0"))
            if part
        )
        return PAGE_CSS % {
            "size": page_size(paperformat),
            "top": paperformat.margin_top,
            "right": paperformat.margin_right,
            "bottom": paperformat.margin_bottom,
            "left": paperformat.margin_left,
            "number": number,
        }
