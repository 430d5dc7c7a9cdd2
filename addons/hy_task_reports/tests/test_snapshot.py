from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from ..models.report_figures import SNAPSHOT_FIELDS
from .common import TODAY, TestHyReportCommon


@tagged("post_install", "-at_install")
class TestSnapshot(TestHyReportCommon):
    def _snapshot(self, period):
        lines = {line.unit_id: {f: line[f] for f in SNAPSHOT_FIELDS} for line in period.line_ids}
        tasks = {line.unit_id: self._tasks_of(line, "assigned_count") for line in period.line_ids}
        return lines, tasks

    def _change_tasks(self):
        """What happens to tasks after a report is approved."""
        t = self.t
        t["in_progress_overdue"]._report_done("Đã hoàn thành", date(2026, 8, 14))
        t["not_started_overdue"].action_cancel()
        t["in_progress_on_time"].deadline = date(2026, 12, 31)
        t["no_deadline"].active = False
        t["b_on_time"]._transfer_to_unit(self.unit_a, "Điều chỉnh đơn vị chủ trì")
        self._task("in_progress", date(2026, 3, 1), date(2026, 3, 15))
        self.env.flush_all()

    @freeze_time(TODAY)
    def test_approved_report_never_changes(self):
        period = self._period()
        period.with_user(self.officer).action_compute()
        period.with_user(self.manager).action_approve()
        self.assertEqual(period.state, "approved")
        self.assertEqual(period.approved_by_id, self.manager)
        before = self._snapshot(period)
        self._change_tasks()
        period.invalidate_recordset()
        self.assertEqual(self._snapshot(period), before)
        line = self._line(period, self.unit_a)
        with self.assertRaises(UserError):
            period.action_compute()
        with self.assertRaises(UserError):
            line.write({"assigned_count": 1})
        with self.assertRaises(UserError):
            line.write({"evaluation": "Sửa sau khi phê duyệt"})
        with self.assertRaises(UserError):
            period.write({"date_to": date(2026, 7, 31)})
        with self.assertRaises(UserError):
            period.write({"evaluation": "Sửa sau khi phê duyệt"})
        with self.assertRaises(UserError):
            period.unlink()
        with self.assertRaises(UserError):
            line.unlink()
        # The number of the document is given when it is issued, after approval.
        period.document_number = "125/BC-VPUBND"
        period._render_files()  # the files job, run now
        period.with_user(self.manager).action_publish()
        self.assertEqual(self._snapshot(period), before)

    @freeze_time(TODAY)
    def test_figures_come_only_from_computing(self):
        period = self._period()
        period.action_compute()
        line = self._line(period, self.unit_a)
        with self.assertRaises(UserError):
            line.write({"done_on_time_count": 99})
        with self.assertRaises(UserError):
            period.write({"assigned_count": 99})
        with self.assertRaises(UserError):
            self.env["hy.report.line"].create(
                {"period_id": period.id, "unit_id": self.unit_idle.id, "assigned_count": 5}
            )
        with self.assertRaises(UserError):
            self.env["hy.report.entry"].search([], limit=1).write({"status_category": False})
        line.evaluation = "Hoàn thành tốt các nhiệm vụ được giao."
        period.action_compute()
        # Recomputing keeps the evaluations written on the lines.
        self.assertEqual(
            self._line(period, self.unit_a).evaluation, "Hoàn thành tốt các nhiệm vụ được giao."
        )
        # Changing the scope of a computed period sends it back to draft.
        period.unit_ids = self.unit_a
        self.assertEqual(period.state, "draft")
        with self.assertRaises(UserError):
            period.action_approve()

    @freeze_time(TODAY)
    def test_new_revision(self):
        period = self._period(kind="annual")
        period.action_compute()
        self._line(period, self.unit_a).evaluation = "Cần khắc phục nhiệm vụ quá hạn."
        period.action_approve()
        period._render_files()  # the files job, run now
        period.action_publish()
        before = self._snapshot(period)
        self._change_tasks()
        action = period.with_user(self.officer).action_new_revision()
        revision = self.env["hy.report.period"].browse(action["res_id"])
        self.assertEqual(revision.revision, 2)
        self.assertEqual(revision.previous_revision_id, period)
        self.assertEqual(revision.root_revision_id, period)
        self.assertEqual(revision.state, "computed")
        self.assertEqual(period.revision_ids, period | revision)
        self.assertEqual(revision.revision_count, 2)
        self.assertEqual(
            self._line(revision, self.unit_a).evaluation, "Cần khắc phục nhiệm vụ quá hạn."
        )
        # The new revision sees the changes; the old one does not.
        self.assertEqual(self._snapshot(period), before)
        line_a = self._line(revision, self.unit_a)
        # Unit A: one task cancelled and one archived; one transferred in and one new.
        self.assertEqual(line_a.assigned_count, self._line(period, self.unit_a).assigned_count)
        self.assertIn(self.t["b_on_time"], self._tasks_of(line_a, "assigned_count"))
        self.assertNotIn(self.t["no_deadline"], self._tasks_of(line_a, "assigned_count"))
        # Reported done after approval, not confirmed yet: awaiting confirmation.
        self.assertIn(
            self.t["in_progress_overdue"], self._tasks_of(line_a, "awaiting_confirmation_count")
        )
        # One revision at a time.
        with self.assertRaises(UserError):
            period.action_new_revision()
        revision.action_approve()
        self.assertEqual(period.state, "published")
        revision._render_files()  # the files job, run now
        revision.action_publish()
        self.assertEqual((period.state, revision.state), ("superseded", "published"))

    @freeze_time(TODAY)
    def test_who_does_what(self):
        """Each step of the workflow, in order, tried by each role: only the Office prepares a
        report, only its managers approve and publish it."""
        period = self._period()
        allowed = {
            "action_compute": (self.officer, self.manager),
            "action_approve": (self.manager,),
            "action_publish": (self.manager,),
            "action_unpublish": (self.manager,),
        }
        roles = (self.user_a, self.portal_a, self.leader, self.officer, self.manager)
        for step, users in allowed.items():
            if step == "action_publish":
                period._render_files()  # the files job, after the approval
            for user in roles:
                with self.subTest(step=step, user=user.login):
                    outcome = self._outcome_of(getattr(period.with_user(user), step))
                    self.assertEqual(outcome, "ok" if user in users else "AccessError")
        self.assertEqual(period.state, "approved")
