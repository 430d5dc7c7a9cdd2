from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, tagged, users
from odoo.tools import mute_logger

from .common import TODAY, TestHyReportCommon


@tagged("post_install", "-at_install")
class TestReportAccess(TestHyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            units = (cls.unit_a | cls.unit_b).ids
            cls.approved = cls._period(unit_ids=[(6, 0, units)])
            cls.approved.action_compute()
            cls.approved.evaluation = "Các sở, ngành đã tích cực triển khai nhiệm vụ."
            cls.approved.action_approve()
            cls.draft = cls._period(kind="annual", unit_ids=[(6, 0, units)])
            cls.draft.action_compute()

    def _as(self, model):
        self.env.flush_all()
        self.env.invalidate_all()
        return self.env[model].with_user(self.env.user)

    @users("r_user_a", "r_portal_a")
    def test_unit_members_see_only_their_unit_once_approved(self):
        Line = self._as("hy.report.line")
        lines = Line.search([("period_id", "in", (self.approved | self.draft).ids)])
        self.assertEqual(lines.unit_id, self.unit_a)
        self.assertEqual(lines.period_id, self.approved)
        line_b = self._line(self.approved, self.unit_b).with_user(self.env.user)
        with self.assertRaises(AccessError):
            line_b.read(["assigned_count"])
        entries = self._as("hy.report.entry").search([("period_id", "=", self.approved.id)])
        self.assertEqual(entries.unit_id, self.unit_a)
        # Through the period, too: its totals for the unit are those of the lines it reads;
        # the province's are refused.
        period = self.approved.with_user(self.env.user)
        self.assertEqual(period.line_ids.unit_id, self.unit_a)
        line_a = self._line(self.approved, self.unit_a)
        self.assertNotEqual(self.approved.assigned_count, line_a.assigned_count)
        totals = period.read(["my_assigned_count", "my_on_time_rate"])[0]
        self.assertEqual(
            (totals["my_assigned_count"], totals["my_on_time_rate"]),
            (line_a.assigned_count, line_a.on_time_rate),
        )
        with self.assertRaises(AccessError):
            period.read(["assigned_count", "on_time_rate"])
        self.assertNotIn("assigned_count", period.read()[0])

    @users("r_user_a", "r_portal_a")
    def test_units_do_not_read_the_draft_evaluation(self):
        self.draft.sudo().evaluation = "Dự thảo nhận xét: Sở Tài chính còn chậm"
        period = self._as("hy.report.period").browse(self.draft.id)
        with self.assertRaises(AccessError):
            period.read(["name", "evaluation"])
        with self.assertRaises(AccessError):
            self._as("hy.report.period").search_read([("id", "=", self.draft.id)], ["evaluation"])
        found = self._as("hy.report.period").search_read(
            [("id", "=", self.draft.id)], ["published_evaluation"]
        )
        self.assertEqual(found[0]["published_evaluation"], False)
        self.assertNotIn("evaluation", period.read()[0])
        self.assertTrue(period.read(["name"])[0]["name"])
        self.env.invalidate_all()
        manager_view = self.draft.with_user(self.manager).read(["evaluation"])[0]
        self.assertIn("Dự thảo", manager_view["evaluation"])

    @users("r_user_a", "r_portal_a")
    def test_units_read_the_evaluation_once_approved(self):
        period = self._as("hy.report.period").browse(self.approved.id)
        values = period.read(["published_evaluation"])[0]
        self.assertEqual(
            values["published_evaluation"], "Các sở, ngành đã tích cực triển khai nhiệm vụ."
        )
        with self.assertRaises(AccessError):
            period.read(["evaluation"])

    @users("r_user_a", "r_officer", "r_leader")
    def test_screens_show_each_reader_the_totals_they_may_read(self):
        """The same list and form: the province's totals and the draft evaluation for the
        Office and the leadership, the unit's own totals and the approved evaluation for it;
        the web client reads every field of its view without refusal."""
        office = not self.env.user.has_group("hy_task_tracking.group_unit_user")
        Period = self._as("hy.report.period")
        line_a = self._line(self.approved, self.unit_a)
        for view_type in ("list", "form"):
            with self.subTest(view_type=view_type):
                views = Period.get_views([(False, view_type)])
                arch = etree.fromstring(views["views"][view_type]["arch"])
                # The fields of the period the web client shows and reads (not of its lines).
                names = {node.get("name") for node in arch.xpath("//field[not(ancestor::field)]")}
                self.assertEqual("assigned_count" in names, office)
                self.assertEqual("my_assigned_count" in names, not office)
                if view_type == "form":
                    self.assertEqual("evaluation" in names, office)
                    self.assertEqual("published_evaluation" in names, not office)
                spec = {name: {} for name in names}
                values = Period.browse(self.approved.id).web_read(spec)[0]
                figure = "assigned_count" if office else "my_assigned_count"
                expected = self.approved.assigned_count if office else line_a.assigned_count
                self.assertEqual(values[figure], expected)

    @users("r_user_a", "r_officer")
    def test_overview_shows_the_totals_the_user_may_read(self):
        # The demo's report, approved when the demo was loaded, is older than this one here.
        self.env.cr.execute(
            "UPDATE hy_report_period SET approved_date = '2026-01-01' WHERE id != %s",
            (self.approved.id,),
        )
        self.env.invalidate_all()
        report = self.env["hy.task.overview"].with_user(self.env.user)._latest_report()
        self.assertEqual(report["id"], self.approved.id)
        office = self.env.user == self.officer
        line_a = self._line(self.approved, self.unit_a)
        counted = self.approved.assigned_count if office else line_a.assigned_count
        self.assertEqual(report["figures"][0]["value"], counted)

    def test_overview_report_card_is_dated_in_hanoi_time(self):
        # Reports without an approval date never come before the latest approved one, and
        # its time is Hà Nội's (UTC+7), like the period's dates beside it.
        self.env.cr.execute(
            "UPDATE hy_report_period SET approved_date = NULL WHERE id != %s", (self.approved.id,)
        )
        self.env.cr.execute(
            "UPDATE hy_report_period SET approved_date = '2026-07-01 02:30:00' WHERE id = %s",
            (self.approved.id,),
        )
        self.env.invalidate_all()
        self.officer.tz = False
        report = self.env["hy.task.overview"].with_user(self.officer)._latest_report()
        self.assertEqual(report["id"], self.approved.id)
        self.assertIn("9:30", report["status"])
        self.assertNotIn("2:30", report["status"])

    @users("r_user_a")
    def test_unit_user_drill_down_shows_their_tasks(self):
        line = self._line(self.approved, self.unit_a).with_user(self.env.user)
        action = line.action_open_tasks("assigned_count")
        tasks = self._as("hy.task").with_context(**action["context"]).search(action["domain"])
        # The unit opens the tasks of its figure that it still reads: one it led on 30 June
        # moved to unit B since (it stays in A's figure and in A's XLSX export).
        moved = self.t["b_transferred_late"]
        self.assertEqual(len(tasks), line.assigned_count - 1)
        self.assertNotIn(moved, tasks)
        counted = (
            self.env["hy.report.entry"]
            .sudo()  # sudo: what the frozen report counted, whatever A reads now
            .search([("period_id", "=", self.approved.id), ("unit_id", "=", self.unit_a.id)])
        )
        self.assertIn(moved, counted.task_id)
        self.assertEqual(tasks.lead_unit_id, self.unit_a)

    @users("r_user_a", "r_leader", "r_portal_a")
    def test_readers_cannot_change_reports(self):
        period = self.approved.with_user(self.env.user)
        with self.assertRaises(AccessError):
            period.write({"document_number": "1/BC-VPUBND"})
        with self.assertRaises(AccessError):
            self._as("hy.report.period").create({"kind": "annual", "year": 2025})

    @users("r_leader")
    def test_leadership_reads_every_unit(self):
        lines = self._as("hy.report.line").search(
            [("period_id", "in", (self.approved | self.draft).ids)]
        )
        self.assertEqual(lines.unit_id, self.unit_a | self.unit_b)
        self.assertEqual(lines.period_id, self.approved | self.draft)

    @users("r_officer")
    def test_office_prepares_reports(self):
        period = self._as("hy.report.period").create({"kind": "annual", "year": 2025})
        period.action_compute()
        self.assertEqual(period.state, "computed")
        with self.assertRaises(AccessError):
            period.action_approve()

    def test_public_user_has_no_access(self):
        public = self.env.ref("base.public_user")
        for model in ("hy.report.period", "hy.report.line", "hy.report.entry"):
            with self.subTest(model=model):
                Model = self.env[model].with_user(public)
                self.assertEqual(
                    self._outcome_of(lambda Model=Model: Model.search([])), "AccessError"
                )


@tagged("post_install", "-at_install")
class TestReportRoutesProbing(TestHyReportCommon, HttpCase):
    """The report routes answer a missing report, one the user may not print and an odd or
    huge id alike, never 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.draft = cls._period(kind="annual", unit_ids=[(6, 0, cls.unit_a.ids)])
            cls.draft.action_compute()

    def _answer(self, url):
        """Status and message of the answer (the page around it repeats the address)."""
        response = self.url_open(url, allow_redirects=False)
        refusal = "This report does not exist or you may not print it."
        return response.status_code, refusal in response.text, "approved" in response.text

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_pdf_xlsx_and_public_routes(self):
        missing = self.env["hy.report.period"].search([], order="id desc", limit=1).id + 1000
        self.authenticate("r_user_a", "r_user_a")
        pdf = "/report/pdf/hy_task_reports.report_hy_report_period/{}"
        reference = self._answer(pdf.format(missing))
        self.assertEqual(reference, (403, True, False))
        # Not approved yet, for a unit: the same answer as a report that does not exist.
        self.assertEqual(self._answer(pdf.format(self.draft.id)), reference)
        for value in ("-1", "1e1", "99999999999999999999"):
            with self.subTest(pdf=value):
                self.assertEqual(self._answer(pdf.format(value)), reference)
        for value in (missing, self.draft.id, "99999999999999999999", "-1", "1e1"):
            with self.subTest(period=value):
                url = f"/hy_task_reports/period/{value}/xlsx"
                self.assertEqual(self.url_open(url).status_code, 404)
                for suffix in ("", ".csv", ".json"):
                    public = self.url_open(f"/bao-cao-nhiem-vu/{value}{suffix}")
                    self.assertEqual(public.status_code, 404)
