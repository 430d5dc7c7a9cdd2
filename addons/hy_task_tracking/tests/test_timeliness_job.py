"""The nightly recompute of the tasks' timeliness and status category."""

from datetime import date

from odoo.tests import freeze_time, tagged, warmup

from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestTimelinessJob(TestHyCommon):
    """Each night, the tasks whose deadline passed become overdue, and no other."""

    def _make_tasks(self, count, deadline):
        return self._task_batch(count, deadline=deadline, lead_unit_id=self.unit_a.id)

    def test_daily_recompute_changes_exactly_the_tasks_that_became_overdue(self):
        due_yesterday = self._make_tasks(3, date(2026, 6, 9))
        due_today = self._make_tasks(2, date(2026, 6, 10))
        due_later = self._make_tasks(2, date(2026, 7, 30))
        no_deadline = self._make_tasks(1, False)
        self.assertEqual(set(due_yesterday.mapped("status_category")), {"not_started_on_time"})
        # 00:10 on 10 June in Hà Nội (17:10 UTC on the 9th).
        with freeze_time("2026-06-09 17:10:00"):
            changed = self.env["hy.task"]._cron_recompute_timeliness()
        self.assertEqual(changed & (due_yesterday | due_later | no_deadline), due_yesterday)
        self.assertEqual(set(due_yesterday.mapped("status_category")), {"not_started_overdue"})
        self.assertEqual(set(due_today.mapped("status_category")), {"not_started_on_time"})
        self.assertEqual(set(due_today.mapped("timeliness")), {"due_soon"})
        self.assertEqual(set(due_later.mapped("timeliness")), {"on_time"})
        self.assertEqual(no_deadline.status_category, "not_started_on_time")
        # The batch agrees with the compute that every write uses.
        with freeze_time("2026-06-09 17:10:00"):
            everything = due_yesterday | due_today | due_later | no_deadline
            stored = everything.mapped(lambda t: (t.status_category, t.timeliness))
            self.env.add_to_compute(self.env["hy.task"]._fields["status_category"], everything)
            self.env.add_to_compute(self.env["hy.task"]._fields["timeliness"], everything)
            self.assertEqual(everything.mapped(lambda t: (t.status_category, t.timeliness)), stored)
        # A second run the same day has nothing left to do.
        with freeze_time("2026-06-09 17:20:00"):
            self.assertFalse(self.env["hy.task"]._cron_recompute_timeliness())

    @warmup
    def test_query_count_does_not_grow_with_the_number_of_tasks(self):
        for count in (10, 200):
            tasks = self._make_tasks(count, date(2026, 6, 9))
            self.env.invalidate_all()
            # Two UPDATEs, whatever the number of tasks.
            with freeze_time("2026-06-12 03:00:00"), self.assertQueryCount(2):
                self.env["hy.task"]._cron_recompute_timeliness()
            self.assertEqual(set(tasks.mapped("status_category")), {"not_started_overdue"})
