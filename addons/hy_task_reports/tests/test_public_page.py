import csv
import io
import json
from datetime import date

from markupsafe import escape

from odoo.tests import HttpCase, freeze_time, tagged

from .common import TODAY, TestHyReportCommon


@tagged("post_install", "-at_install")
class TestPublicPage(TestHyReportCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            units = [(6, 0, (cls.unit_a | cls.unit_b).ids)]
            cls.published = cls._period(unit_ids=units, evaluation="Nhận xét nội bộ của Văn phòng")
            cls.published.action_compute()
            cls.published.action_approve()
            cls.published._render_files()  # the files job, run now
            cls.published.action_publish()
            cls.approved = cls._period(kind="annual", unit_ids=units)
            cls.approved.action_compute()
            cls.approved.action_approve()

    def _get(self, url):
        response = self.url_open(url)
        return response.status_code, response.text

    def test_list_shows_only_published_reports(self):
        status, page = self._get("/bao-cao-nhiem-vu")
        self.assertEqual(status, 200)
        self.assertIn(f"/bao-cao-nhiem-vu/{self.published.id}", page)
        self.assertNotIn(f"/bao-cao-nhiem-vu/{self.approved.id}", page)
        # The title says what the report counts, in the visitor's language.
        vietnamese = self.published.with_context(lang="vi_VN")
        self.assertIn(str(escape(vietnamese.name)), page)
        self.assertIn("6 tháng đầu năm 2026", page)
        self.assertNotIn('<script src="http', page)

    def test_detail_shows_aggregates_only(self):
        status, page = self._get(f"/bao-cao-nhiem-vu/{self.published.id}")
        self.assertEqual(status, 200)
        self.assertIn(self.unit_a.name, page)
        self.assertIn("<svg", page)
        for hidden in (
            "Nhận xét nội bộ của Văn phòng",
            "Rà soát thủ tục hành chính",
            self.directive_conf.number,
            self.t["b_classified"].reference,
        ):
            self.assertNotIn(hidden, page)
        for period in (self.approved, self.approved.copy()):
            for suffix in ("", ".csv", ".json"):
                status, _page = self._get(f"/bao-cao-nhiem-vu/{period.id}{suffix}")
                self.assertEqual(status, 404)

    def test_csv_and_json_hold_the_published_figures(self):
        status, text = self._get(f"/bao-cao-nhiem-vu/{self.published.id}.csv")
        self.assertEqual(status, 200)
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        by_unit = {row["unit_code"]: row for row in rows}
        line_a = self._line(self.published, self.unit_a)
        self.assertEqual(int(by_unit["R-SNV"]["assigned_count"]), line_a.assigned_count)
        self.assertEqual(
            int(by_unit["R-SNV"]["not_started_overdue_count"]), line_a.not_started_overdue_count
        )
        self.assertEqual(len(rows), 3)  # two units and the total
        status, text = self._get(f"/bao-cao-nhiem-vu/{self.published.id}.json")
        self.assertEqual(status, 200)
        data = json.loads(text)
        self.assertEqual(data["id"], self.published.id)
        self.assertEqual(data["totals"]["assigned_count"], self.published.assigned_count)
        line = next(line for line in data["lines"] if line["unit_code"] == "R-STC")
        # B's only overdue task is classified: published in the province's total only.
        self.assertEqual(self._line(self.published, self.unit_b).in_progress_overdue_count, 1)
        self.assertEqual(line["in_progress_overdue_count"], 0)
        self.assertEqual(data["totals"]["classified_count"], 1)
        self.assertNotIn("evaluation", text)
        self.assertNotIn("classified_count", json.dumps(data["lines"]))
        self.assertNotIn(self.directive_conf.number, text)

    def test_a_unit_whose_tasks_are_all_classified_publishes_nothing_of_them(self):
        unit_c = self.env["hy.unit"].create({"name": "Công an tỉnh (thử)", "code": "R-CA"})
        self._task("in_progress", date(2026, 2, 1), date(2026, 3, 31), unit=unit_c,
                   directive=self.directive_conf)  # fmt: skip
        self._task("assigned", date(2026, 2, 1), date(2026, 9, 30), unit=unit_c,
                   directive=self.directive_conf)  # fmt: skip
        everything = [(6, 0, self.env["hy.report.authority"].search([]).ids)]
        with freeze_time(TODAY):
            period = self._period(authority_ids=everything)
            period.action_compute()
            period.action_approve()
            period._render_files()  # the files job, run now
            period.action_publish()
        # The Office's report counts them, for the unit.
        line_c = self._line(period, unit_c)
        self.assertEqual((line_c.assigned_count, line_c.classified_count), (2, 2))
        self.assertEqual(line_c.overdue_count, 1)
        # The public page, its CSV and its JSON: not a word of unit C.
        status, page = self._get(f"/bao-cao-nhiem-vu/{period.id}")
        self.assertEqual(status, 200)
        self.assertNotIn(unit_c.name, page)
        status, text = self._get(f"/bao-cao-nhiem-vu/{period.id}.csv")
        self.assertNotIn("R-CA", text)
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        total = rows[-1]
        self.assertEqual(int(total["assigned_count"]), period.assigned_count)
        self.assertIn(str(period.classified_count), total["unit_name"])
        status, text = self._get(f"/bao-cao-nhiem-vu/{period.id}.json")
        data = json.loads(text)
        self.assertNotIn("R-CA", [line["unit_code"] for line in data["lines"]])
        self.assertEqual(data["totals"]["classified_count"], period.classified_count)
        # Per unit, the published figures are those of normal directives only.
        published = sum(line["assigned_count"] for line in data["lines"])
        self.assertEqual(published, period.assigned_count - period.classified_count)
