from datetime import date

from odoo.tests import freeze_time, tagged

from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestStatusCategory(TestHyCommon):
    """The six categories of the regulation, judged in Asia/Ho_Chi_Minh dates."""

    @freeze_time("2026-06-10 03:00:00")
    def test_not_started_and_in_progress_on_deadline_day_are_on_time(self):
        assigned = self._task(deadline=date(2026, 6, 10), state="assigned")
        working = self._task(deadline=date(2026, 6, 10), state="in_progress")
        self.assertEqual(assigned.status_category, "not_started_on_time")
        self.assertEqual(working.status_category, "in_progress_on_time")
        self.assertEqual(working.timeliness, "due_soon")

    @freeze_time("2026-06-11 03:00:00")
    def test_the_day_after_the_deadline_is_overdue(self):
        assigned = self._task(deadline=date(2026, 6, 10), state="assigned")
        working = self._task(deadline=date(2026, 6, 10), state="in_progress")
        self.assertEqual(assigned.status_category, "not_started_overdue")
        self.assertEqual(working.status_category, "in_progress_overdue")
        self.assertEqual(working.timeliness, "overdue")

    def test_midnight_in_vietnam_not_in_utc(self):
        # 16:30 UTC on 10 June is 23:30 on 10 June in Hà Nội: still the deadline day.
        with freeze_time("2026-06-10 16:30:00"):
            task = self._task(deadline=date(2026, 6, 10), state="in_progress")
            self.assertEqual(task.status_category, "in_progress_on_time")
        # 17:30 UTC on 10 June is 00:30 on 11 June in Hà Nội: overdue, though UTC is still the 10th.
        with freeze_time("2026-06-10 17:30:00"):
            task = self._task(deadline=date(2026, 6, 10), state="in_progress")
            self.assertEqual(task.status_category, "in_progress_overdue")

    @freeze_time("2026-06-20 03:00:00")
    def test_done_on_deadline_day_is_on_time_and_the_day_after_is_late(self):
        assigned = date(2026, 6, 1)
        on_day = self._task(deadline=date(2026, 6, 10), state="in_progress", assigned=assigned)
        on_day._report_done("Đã ban hành Kế hoạch 45/KH-SNV", date(2026, 6, 10))
        late = self._task(deadline=date(2026, 6, 10), state="in_progress", assigned=assigned)
        late._report_done("Đã ban hành Kế hoạch 46/KH-SNV", date(2026, 6, 11))
        self.assertEqual(on_day.status_category, "done_on_time")
        self.assertEqual(late.status_category, "done_late")

    @freeze_time("2030-01-01 03:00:00")
    def test_task_without_deadline_is_never_overdue(self):
        assigned = self._task(deadline=False, state="assigned")
        working = self._task(deadline=False, state="in_progress")
        done = self._task(deadline=False, state="in_progress", assigned=date(2029, 12, 1))
        done._report_done("Hoàn thành", date(2029, 12, 31))
        self.assertEqual(assigned.status_category, "not_started_on_time")
        self.assertEqual(working.status_category, "in_progress_on_time")
        self.assertEqual(done.status_category, "done_on_time")
        self.assertEqual(working.timeliness, "no_deadline")

    @freeze_time("2026-06-20 03:00:00")
    def test_draft_and_cancelled_have_no_category(self):
        draft = self._task()
        cancelled = self._task(state="assigned")
        cancelled.with_user(self.officer).action_cancel()
        self.assertFalse(draft.status_category)
        self.assertFalse(cancelled.status_category)

    @freeze_time("2026-06-20 03:00:00")
    def test_returned_task_counts_as_not_started_and_never_overdue(self):
        # Past its deadline, a task its unit returned waits for the Office: not the unit's delay.
        task = self._task(deadline=date(2026, 6, 15), state="assigned")
        task.with_user(self.user_a)._return_to_office("Không thuộc chức năng của Sở")
        self.assertEqual(task.state, "returned")
        self.assertEqual(task.status_category, "not_started_on_time")

    def test_approved_extension_judges_against_the_new_deadline(self):
        with freeze_time("2026-06-05 03:00:00"):
            task = self._task(deadline=date(2026, 6, 10), state="in_progress")
            extension = self._request_extension(task, date(2026, 6, 30), "Chờ ý kiến của Bộ Nội vụ")
            extension.with_user(self.officer).action_approve()
        with freeze_time("2026-06-15 03:00:00"):
            self.env["hy.task"]._cron_recompute_timeliness()
            self.assertEqual(task.deadline, date(2026, 6, 30))
            self.assertEqual(task.original_deadline, date(2026, 6, 10))
            self.assertEqual(task.status_category, "in_progress_on_time")
            task._report_done("Xong", date(2026, 6, 15))
            self.assertEqual(task.status_category, "done_on_time")
