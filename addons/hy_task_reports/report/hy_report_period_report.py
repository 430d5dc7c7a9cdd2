from odoo import api, models
from odoo.tools.misc import formatLang

from odoo.addons.hy_task_tracking.models.hy_task import hy_today

from ..models.report_figures import CATEGORY_ORDER


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
            .sudo()
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
        """The paragraphs of "General situation", built from the totals."""
        _ = self.env._
        n, p = self._number, period
        paragraphs = [
            _(
                "Tasks counted in the period: %(assigned)s, of which %(no_deadline)s without "
                "deadline and %(classified)s of classified directives (shown as counts only).",
                assigned=n(p.assigned_count),
                no_deadline=n(p.no_deadline_count),
                classified=n(p.classified_count),
            ),
            _(
                "Done, confirmed by the Office: %(done)s tasks, %(on_time)s on time and %(late)s "
                "late; on-time rate of those with a deadline: %(rate)s%%.",
                done=n(p.done_count),
                on_time=n(p.done_on_time_count),
                late=n(p.done_late_count),
                rate=n(p.on_time_rate, 2),
            ),
            _(
                "In progress: %(total)s tasks, %(on_time)s on time and %(overdue)s overdue.",
                total=n(p.in_progress_on_time_count + p.in_progress_overdue_count),
                on_time=n(p.in_progress_on_time_count),
                overdue=n(p.in_progress_overdue_count),
            ),
            _(
                "Not started: %(total)s tasks, %(on_time)s on time and %(overdue)s overdue.",
                total=n(p.not_started_on_time_count + p.not_started_overdue_count),
                on_time=n(p.not_started_on_time_count),
                overdue=n(p.not_started_overdue_count),
            ),
        ]
        if p.done_late_count:
            paragraphs.append(
                _(
                    "Tasks done late were on average %(days)s days late.",
                    days=n(p.avg_delay_days, 1),
                )
            )
        if p.awaiting_confirmation_count:
            paragraphs.append(
                _(
                    "Reported done by the units but not yet confirmed by the Office at the end "
                    "of the period: %(awaiting)s tasks (not counted as done).",
                    awaiting=n(p.awaiting_confirmation_count),
                )
            )
        paragraphs.append(
            _(
                "Units sent back %(returned)s tasks that still await adjustment; %(transferred)s "
                "tasks moved from one unit to another within the period and %(extended)s had "
                "their deadline extended.",
                returned=n(p.returned_count),
                transferred=n(p.transferred_in_count),
                extended=n(p.extended_count),
            )
        )
        return paragraphs

    def _categories(self):
        return CATEGORY_ORDER
