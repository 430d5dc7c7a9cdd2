"""The findings of issue 22 on reports, tried through JSON-RPC ``call_kw`` as their authors did."""

from datetime import date

from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.hy_task_tracking.tests.common import JsonRpcMixin

from .common import TODAY, TestHyReportCommon

REPORT_TEXT = "Báo cáo kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2026 của Sở Nội vụ."


@tagged("post_install", "-at_install", "hy_rpc_gate")
class TestReportRpcGate(JsonRpcMixin, HttpCase, TestHyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.approved = cls._period(date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))
            cls.approved.action_compute()
            cls.approved.with_user(cls.manager).action_approve()
            cls.approved._render_files()  # the files job, run now
            cls.approved.with_user(cls.manager).action_publish()
        cls.figures = cls.approved.line_ids.mapped("assigned_count")

    @mute_logger("odoo.http")
    def test_finding_1_an_officer_cannot_publish_reopen_or_delete_by_write(self):
        draft = self._period(kind="ad_hoc", date_from=date(2026, 1, 1), date_to=date(2026, 3, 31))
        self._login(self.officer)
        for period, values in (
            (draft, {"state": "published"}),
            (draft, {"approved_by_id": self.manager.id}),
            (draft, {"published_date": "2026-08-01 03:00:00"}),
            (self.approved, {"state": "draft"}),
            (self.approved, {"state": "computed"}),
            (self.approved, {"assigned_count": 46}),
        ):
            with self.subTest(values=values):
                self.assertRefused(self._call("hy.report.period", "write", [period.id], values))
        self.assertRefused(
            self._call("hy.report.period", "unlink", [self.approved.id]),
            "odoo.exceptions.UserError",
        )
        self.assertRefused(
            self._call("hy.report.line", "write", self.approved.line_ids.ids, {"rank": 1})
        )
        self.assertRefused(self._call("hy.report.line", "unlink", self.approved.line_ids.ids))
        self.assertRefused(self._call("hy.report.period", "action_approve", [draft.id]))
        self.approved.invalidate_recordset()
        self.assertEqual(self.approved.state, "published")
        self.assertEqual(self.approved.line_ids.mapped("assigned_count"), self.figures)
        self.assertEqual(draft.state, "draft")

    @mute_logger("odoo.http")
    def test_finding_9_a_unit_cannot_forge_its_submission(self):
        period = self._period(unit_ids=[(6, 0, (self.unit_a | self.unit_b).ids)])
        self._login(self.portal_a)
        base = {"period_id": period.id, "unit_id": self.unit_a.id, "text": REPORT_TEXT}
        for forged in (
            {"date": "2026-01-02 03:00:00"},
            {"submitted_by_id": self.manager.id},
        ):
            with self.subTest(forged=forged):
                self.assertRefused(
                    self._call("hy.report.unit.submission", "create", [dict(base, **forged)])
                )
        with freeze_time("2026-07-01 03:00:00"):
            submission = self.env["hy.report.unit.submission"].with_user(self.portal_a).create(base)
        self.assertEqual(submission.submitted_by_id, self.portal_a)
        self.assertRefused(
            self._call(
                "hy.report.unit.submission", "write", [submission.id], {"unit_id": self.unit_b.id}
            )
        )
        self.assertRefused(
            self._call(
                "hy.report.unit.submission", "write", [submission.id], {"date": "2026-01-01"}
            )
        )
        self.assertEqual(submission.unit_id, self.unit_a)
