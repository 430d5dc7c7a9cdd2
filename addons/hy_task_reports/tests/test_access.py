from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged, users

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
        # Through the period, too: its totals are those of the lines the unit reads.
        period = self.approved.with_user(self.env.user)
        self.assertEqual(period.line_ids.unit_id, self.unit_a)
        line_a = self._line(self.approved, self.unit_a)
        self.assertNotEqual(self.approved.assigned_count, line_a.assigned_count)
        totals = period.read(["assigned_count", "on_time_rate"])[0]
        self.assertEqual(
            (totals["assigned_count"], totals["on_time_rate"]),
            (line_a.assigned_count, line_a.on_time_rate),
        )

    @users("r_user_a", "r_portal_a")
    def test_units_do_not_read_the_draft_evaluation(self):
        self.draft.sudo().evaluation = "Dự thảo nhận xét: Sở Tài chính còn chậm"
        period = self._as("hy.report.period").browse(self.draft.id)
        self.assertEqual(period.read(["name", "evaluation"])[0]["evaluation"], False)
        found = self._as("hy.report.period").search_read(
            [("id", "=", self.draft.id)], ["evaluation"]
        )
        self.assertEqual(found[0]["evaluation"], False)
        self.assertTrue(period.read(["name"])[0]["name"])
        self.env.invalidate_all()
        manager_view = self.draft.with_user(self.manager).read(["evaluation"])[0]
        self.assertIn("Dự thảo", manager_view["evaluation"])

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
            .sudo()
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
            with self.assertRaises(AccessError):
                self.env[model].with_user(public).search([])
