import csv
import io
import json
import re
from datetime import date

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged

from ..models.report_figures import OFFICE_FIGURES
from .common import TODAY, TestHyReportCommon, at

REPORT = "hy_task_reports.report_hy_report_period"
JUNE = (date(2026, 6, 1), date(2026, 6, 30))  # no public holiday: 22 working days
XLSX_HEADER_ROW = 6  # 1-based row of the column titles on sheet 1


class TurnCase(TestHyReportCommon):
    """Tasks of a unit of their own, lived through June 2026 day by day, and an ad-hoc report
    on June computed in August: each task as it stood on 30 June."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls.env["hy.unit"].create({"name": "Sở Xây dựng (thử)", "code": "R-SXD"})

    def _june(self, publish=False):
        with freeze_time(TODAY):
            period = self._period(
                kind="ad_hoc",
                date_from=JUNE[0],
                date_to=JUNE[1],
                unit_ids=[(6, 0, self.unit.ids)],
            )
            period.action_compute()
            if publish:
                period.action_approve()
                period._render_files()  # the files job, run now
                period.action_publish()
        return period

    def _entry(self, period, task):
        return self.env["hy.report.entry"].search(
            [("period_id", "=", period.id), ("task_id", "=", task.id), ("counted", "=", True)]
        )

    def _office(self, period, key):
        """(time limit, times came, beyond the limit, working days) of one row of the Office."""
        return tuple(period[f"office_{key}_{what}"] for what in ("limit", "count", "late", "days"))

    def _assigned(self, deadline, state="assigned"):
        """A task of the unit assigned on Monday 1 June."""
        return self._task(state, JUNE[0], deadline, unit=self.unit)

    def _returned(self, task, on, decided_on=None):
        self._at(task, at(on), lambda t: t._return_to_office("Không đúng chức năng"))
        if decided_on:
            # The Office adjusts the task and assigns it again.
            self._at(task, at(decided_on), lambda t: t.action_assign())


@tagged("post_install", "-at_install")
class TestWhoseTurn(TurnCase):
    def test_a_returned_task_decided_late_is_the_offices_time(self):
        """Returned on Monday 8 June: the Office's limit is Monday 15 June (5 working days).
        Decided on Wednesday 17 June: 7 working days with the Office (9–12, 15–17), beyond
        its limit; another one decided on Friday 12 June: 4 days, within it."""
        late = self._assigned(date(2026, 6, 30))
        self._returned(late, date(2026, 6, 8), decided_on=date(2026, 6, 17))
        in_time = self._assigned(date(2026, 6, 30))
        self._returned(in_time, date(2026, 6, 8), decided_on=date(2026, 6, 12))
        period = self._june()
        line = self._line(period, self.unit)
        # The unit's days: 2–5 and 8 June, then from the day after the decision.
        self.assertEqual(
            (self._entry(period, late).unit_days, self._entry(period, late).office_days), (14, 7)
        )
        self.assertEqual(
            (self._entry(period, in_time).unit_days, self._entry(period, in_time).office_days),
            (17, 4),
        )
        self.assertEqual((line.unit_days, line.office_days), (31, 11))
        self.assertEqual(line.overdue_count, 0)
        self.assertEqual(self._tasks_of(line, "office_days"), late | in_time)
        # The Office's own line: two returned tasks came, one decided beyond the limit.
        self.assertEqual(self._office(period, "return"), (5, 2, 1, 11))
        self.assertEqual(self._office(period, "confirmation")[1:], (0, 0, 0))
        self.assertEqual(
            (period.office_turn_count, period.office_turn_late, period.office_turn_days),
            (2, 1, 11),
        )
        self.assertTrue(period.turns_counted)

    def test_a_returned_task_past_its_deadline_is_not_overdue_against_its_unit(self):
        """Due Friday 12 June, returned on Wednesday 10 June, not decided by 30 June: with the
        Office, never overdue against the unit; the Office is beyond its limit (17 June). The
        same task kept by the unit is overdue."""
        held = self._assigned(date(2026, 6, 12))
        self._returned(held, date(2026, 6, 10))
        kept = self._assigned(date(2026, 6, 12))
        period = self._june()
        line = self._line(period, self.unit)
        self.assertEqual(self._tasks_of(line, "not_started_on_time_count"), held)
        self.assertEqual(self._tasks_of(line, "not_started_overdue_count"), kept)
        self.assertEqual((line.returned_count, line.overdue_count, line.rated_count), (1, 1, 1))
        # 2–5 and 8–10 June with the unit; 11 June to 30 June with the Office.
        entry = self._entry(period, held)
        self.assertEqual((entry.unit_days, entry.office_days), (7, 14))
        self.assertEqual(
            (self._entry(period, kept).unit_days, self._entry(period, kept).office_days), (21, 0)
        )
        self.assertEqual(self._office(period, "return"), (5, 1, 1, 14))

    def test_results_to_confirm_and_extension_requests_are_turns_of_the_office(self):
        """A result reported on Monday 8 June, confirmed on Tuesday 16 June: 6 working days,
        beyond the limit of 5. An extension requested on 8 June, approved on Thursday 11
        June: 3 working days, within the limit of 3."""
        reported = self._assigned(date(2026, 6, 30), state="in_progress")
        self._at(
            reported, at(date(2026, 6, 8)), lambda t: t._report_done("Đã xong", date(2026, 6, 8))
        )
        self._at(
            reported,
            at(date(2026, 6, 16)),
            lambda t: t._evaluate_and_confirm("good", "Đạt", effectiveness="effective"),
        )
        extended = self._assigned(date(2026, 6, 20), state="in_progress")
        requests = {}

        def request(task):
            requests[task] = task.env["hy.task.extension"].create(
                {"task_id": task.id, "new_deadline": date(2026, 7, 31), "reason": "Chờ số liệu"}
            )

        self._at(extended, at(date(2026, 6, 8)), request)
        self._at(extended, at(date(2026, 6, 11)), lambda t: requests[t].action_approve())
        period = self._june()
        entry = self._entry(period, reported)
        self.assertEqual(entry.status_category, "done_on_time")
        self.assertEqual((entry.unit_days, entry.office_days), (5, 6))
        self.assertEqual((entry.quality, entry.effectiveness), ("good", "effective"))
        entry = self._entry(period, extended)
        self.assertEqual((entry.unit_days, entry.office_days), (18, 3))
        self.assertEqual(self._office(period, "confirmation"), (5, 1, 1, 6))
        self.assertEqual(self._office(period, "extension"), (3, 1, 0, 3))
        line = self._line(period, self.unit)
        self.assertEqual((line.quality_good_count, line.effectiveness_effective_count), (1, 1))
        self.assertEqual(line.quality_points, 80)

    def test_open_tasks_are_evaluated_but_earn_no_ranking_points(self):
        """The Office evaluates a task still open (Art. 7.1.g): the report counts its quality
        and effectiveness; the ranking's quality points count confirmed results only."""
        task = self._assigned(date(2026, 6, 10), state="in_progress")
        self._at(task, at(date(2026, 6, 20)), lambda t: t._evaluate("excellent", "high"))
        period = self._june()
        entry = self._entry(period, task)
        self.assertEqual(entry.status_category, "in_progress_overdue")
        self.assertEqual((entry.quality, entry.effectiveness), ("excellent", "high"))
        line = self._line(period, self.unit)
        self.assertEqual((line.quality_excellent_count, line.effectiveness_high_count), (1, 1))
        self.assertEqual(self._tasks_of(line, "effectiveness_high_count"), task)
        # Rated as overdue: no completion, and the evaluation of the open task earns nothing.
        self.assertEqual((line.rated_count, line.quality_points), (1, 0))
        self.assertEqual((line.completion_score, line.quality_score, line.score), (0, 0, 0))
        self.assertEqual(line.rank, 1)

    def test_the_office_figures_are_computed_only(self):
        period = self._june()
        for name in (*OFFICE_FIGURES, "turns_counted"):
            with self.subTest(name=name), self.assertRaises(UserError):
                period.write({name: 1})
        with self.assertRaises(UserError):
            period.line_ids.write({"office_days": 1})


@tagged("post_install", "-at_install")
class TestEmptyIsDash(TurnCase, HttpCase):
    """A rate with nothing to count reads "–" (null in the JSON), never 0, on every surface;
    so do the figures of a report approved before they were counted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["hy_task_tracking", "hy_task_reports"], ["vi_VN"]
        )
        # Open and on time on 30 June: nothing done, nothing overdue, nothing rated.
        cls._task("in_progress", JUNE[0], date(2026, 9, 30), unit=cls.unit)

    def _get(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_public_page_csv_and_json(self):
        period = self._june(publish=True)
        data = json.loads(self._get(f"/bao-cao-nhiem-vu/{period.id}.json"))
        (line,) = data["lines"]
        self.assertEqual((line["on_time_rate"], line["score"], line["rank"]), (None, None, None))
        self.assertIsNone(data["totals"]["on_time_rate"])
        self.assertEqual(line["unit_days"], self._line(period, self.unit).unit_days)
        rows = list(csv.DictReader(io.StringIO(self._get(f"/bao-cao-nhiem-vu/{period.id}.csv"))))
        self.assertEqual([row["on_time_rate"] for row in rows], ["–", "–"])
        self.assertEqual(rows[0]["score"], "–")
        page = self._get(f"/bao-cao-nhiem-vu/{period.id}")
        listing = self._get("/bao-cao-nhiem-vu")
        # The list's row of this report (the demo data may publish others).
        row = re.search(
            rf'<tr>((?:(?!</tr>).)*/bao-cao-nhiem-vu/{period.id}"(?:(?!</tr>).)*)</tr>',
            listing,
            re.DOTALL,
        ).group(1)
        for text in (page, row):
            self.assertNotIn("0,00", text)
            self.assertNotIn("0.00", text)
            self.assertIn("–", text)
        self.assertIn("o_hy_public_office", page)

    def test_pdf_xlsx_and_overview(self):
        period = self._june()
        period.action_approve()
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, period.ids)[0].decode()
        total = re.search(r'<tr class="o_hy_total">(.*?)</tr>', html, re.DOTALL).group(1)
        cells = re.findall(r'<td class="o_hy_n">([^<]*)</td>', total)
        self.assertEqual(cells[9], "–")  # the on-time rate
        self.assertNotIn("0,00", html)
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(period)
        values = openpyxl.load_workbook(io.BytesIO(content), data_only=True).worksheets[0]
        columns = {cell.value: cell.column for cell in values[XLSX_HEADER_ROW] if cell.value}
        env = period.with_context(lang=period._report_lang()).env
        label = env["hy.report.line"]._fields["on_time_rate"].get_description(env)["string"]
        rate_column = columns[label]
        for row in (XLSX_HEADER_ROW + 1, XLSX_HEADER_ROW + 2):  # the unit, the total
            self.assertIn(values.cell(row, rate_column).value, (None, ""))
        report = self.env["hy.task.overview"]._latest_report()
        self.assertEqual(report["id"], period.id)
        # Tasks counted, done, on-time rate, overdue, days with the units, with the Office.
        values = [figure["value"] for figure in report["figures"]]
        self.assertEqual(values[2], "–")
        self.assertEqual(values[4:], [self._line(period, self.unit).unit_days, 0])

    def test_a_report_approved_before_the_turns_were_counted_shows_dashes(self):
        self._task("done", JUNE[0], date(2026, 6, 30), date(2026, 6, 15), unit=self.unit,
                   quality="good", confirmed_on=date(2026, 6, 16))  # fmt: skip
        period = self._june(publish=True)
        stored = self._line(period, self.unit)
        self.assertEqual(stored.quality_score, 80.0)
        # As an upgrade leaves a report approved with 18.0.1.3.0: the new columns empty.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE hy_report_period SET turns_counted = NULL, unit_days = NULL,"
            " office_days = NULL, quality_points = NULL WHERE id = %s",
            [period.id],
        )
        self.env.cr.execute(
            "UPDATE hy_report_line SET unit_days = NULL, office_days = NULL,"
            " quality_points = NULL, effectiveness_high_count = NULL WHERE period_id = %s",
            [period.id],
        )
        self.env.cr.execute(
            "UPDATE hy_report_entry SET unit_days = NULL, office_days = NULL,"
            " effectiveness = NULL WHERE period_id = %s",
            [period.id],
        )
        self.env.invalidate_all()
        self.assertFalse(period.turns_counted)
        self.assertEqual(period.my_quality_score, stored.quality_score)
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, period.ids)[0].decode()
        total = re.search(r'<tr class="o_hy_total">(.*?)</tr>', html, re.DOTALL).group(1)
        cells = re.findall(r'<td class="o_hy_n">([^<]*)</td>', total)
        # Working days with the unit, the Office (then the urges, counted).
        self.assertEqual(cells[-3:-1], ["–", "–"])
        office = html[html.index("o_hy_office") :]
        self.assertIn("–", office[: office.index("</table>")])
        data = json.loads(self._get(f"/bao-cao-nhiem-vu/{period.id}.json"))
        self.assertIsNone(data["lines"][0]["unit_days"])
        self.assertIsNone(data["totals"]["office_days"])
        self.assertTrue(all(row["count"] is None for row in data["office"]))
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(period)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        env = period.with_context(lang=period._report_lang()).env
        days = env["hy.report.line"]._fields["unit_days"].get_description(env)["string"]
        columns = {cell.value: cell.column for cell in sheet[XLSX_HEADER_ROW] if cell.value}
        self.assertIsNone(sheet.cell(XLSX_HEADER_ROW + 1, columns[days]).value)
