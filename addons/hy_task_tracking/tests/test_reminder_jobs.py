"""The nightly reminder jobs: overdue, due soon, stale; when each fires, once only, whom it
reaches and what its mail says. The reminder of the units' own reports is hy_task_reports'
(tests/test_report_reminder_job.py)."""

from datetime import date

from odoo.tests import freeze_time, tagged, warmup

from .common import HANOI_0030
from .jobs_common import NightRunCommon, UnitHeadsCommon


@tagged("post_install", "-at_install")
class TestReminderJobs(UnitHeadsCommon):
    """When the overdue, due-soon and stale reminders fire, and that they fire once."""

    # ------------------------------------------------------------------ overdue

    def test_overdue_activity_created_once_over_reruns(self):
        late = self._assigned(date(2026, 6, 9))
        on_time = self._assigned(date(2026, 6, 20))
        for when in ("2026-06-09", "2026-06-09", "2026-06-10"):
            with freeze_time(HANOI_0030.format(when)):
                self.env["hy.task"]._cron_overdue_reminders()
        self.assertEqual(len(self._activities(late)), 1)
        self.assertEqual(self._activities(late).user_id, self.officer)
        self.assertFalse(self._activities(on_time))
        notices = self._mails_to(self.user_a).filtered(lambda m: late.reference in m.body_html)
        self.assertEqual(len(notices), 1, "the unit is told once")

    def test_overdue_activity_closes_on_completion_and_on_extension(self):
        done_task = self._assigned(date(2026, 6, 9), state="in_progress")
        extended = self._assigned(date(2026, 6, 9), state="in_progress")
        with freeze_time(HANOI_0030.format("2026-06-10")):
            self.env["hy.task"]._cron_overdue_reminders()
            self.assertTrue(self._activities(done_task | extended))
            done_task.with_user(self.user_a)._report_done("Đã hoàn thành", date(2026, 6, 10))
            self.assertFalse(self._activities(done_task))
            request = self._request_extension(extended, date(2026, 6, 30))
            request.with_user(self.officer).action_approve()
            self.assertFalse(self._activities(extended))

    def test_classified_overdue_task_gets_activity_without_summary_only_if_cleared(self):
        cleared = self._assigned(date(2026, 6, 9), directive=self.directive_conf)
        uncleared = self._assigned(
            date(2026, 6, 9),
            directive=self.directive_conf,
            followup_user_id=self.officer_uncleared.id,
        )
        with freeze_time(HANOI_0030.format("2026-06-10")):
            self.env["hy.task"]._cron_overdue_reminders()
        activity = self._activities(cleared)
        self.assertEqual(len(activity), 1)
        self.assertFalse(activity.summary)
        # The officer is not cleared for it: the Office managers who are get it instead.
        instead = self._activities(uncleared)
        self.assertTrue(instead)
        self.assertNotIn(self.officer_uncleared, instead.user_id)
        for user in instead.user_id:
            self.assertTrue(user.has_group("hy_task_tracking.group_clearance_confidential"))
        self.assertFalse(instead.mapped("summary")[0])

    # ------------------------------------------------------------------ due soon

    def test_due_soon_reminders_fire_exactly_at_the_thresholds(self):
        task = self._assigned(date(2026, 6, 20))
        fired = {}
        for day in range(14, 21):
            with freeze_time(HANOI_0030.format(f"2026-06-{day - 1:02d}")):
                fired[day] = bool(self.env["hy.task"]._cron_due_soon_reminders() & task)
        # Default thresholds 3 and 1: on 17 June and 19 June, and on no other day.
        self.assertEqual([d for d, hit in fired.items() if hit], [17, 19])
        ledger = self.env["hy.task.reminder"].search([("task_id", "=", task.id)])
        self.assertEqual(sorted(ledger.mapped("threshold")), [1, 3])

    def test_due_soon_thresholds_come_from_settings(self):
        self.env["ir.config_parameter"].set_param("hy_task_tracking.due_soon_thresholds", "5")
        task = self._assigned(date(2026, 6, 20))
        with freeze_time(HANOI_0030.format("2026-06-14")):  # 15 June in Hà Nội: 5 days left
            self.assertIn(task, self.env["hy.task"]._cron_due_soon_reminders())
        with freeze_time(HANOI_0030.format("2026-06-16")):
            self.assertNotIn(task, self.env["hy.task"]._cron_due_soon_reminders())

    # ------------------------------------------------------------------ stale

    def test_task_without_update_is_flagged_once_then_cleared_by_an_update(self):
        task = self._assigned(date(2026, 9, 30), state="in_progress")
        with freeze_time("2026-06-10 03:00:00"):
            task.with_user(self.user_a).write({"progress": 20})
        with freeze_time("2026-06-20 03:00:00"):
            self.assertFalse(self.env["hy.task"]._cron_stale_reminders() & task)
        with freeze_time("2026-06-25 03:00:00"):
            self.assertTrue(self.env["hy.task"]._cron_stale_reminders() & task)
            self.assertFalse(self.env["hy.task"]._cron_stale_reminders() & task)
            self.assertEqual(len(self._activities(task, self.stale_type)), 1)
            task.with_user(self.user_a).write({"progress": 40})
            self.assertFalse(self._activities(task, self.stale_type))

    # ------------------------------------------------------------------ query counts

    def _remind(self):
        self.env["hy.task"]._cron_overdue_reminders()
        self.env["hy.task"]._cron_due_soon_reminders()
        self.env["hy.task"]._cron_stale_reminders()

    @warmup
    def test_cron_queries_do_not_grow_with_the_number_of_tasks(self):
        with freeze_time(HANOI_0030.format("2026-06-12")):
            self._remind()  # whatever the demo data holds is reminded first
        # As many queries for 100 overdue tasks as for 10: no query per task. (The ORM inserts
        # 100 rows per query: 300 tasks would add a query per table the reminders write to.)
        # The unit mails count working days: the Office's calendar is read once per batch, and
        # the days the Office held the tasks once (the ledger).
        for size in (10, 100):
            tasks = self._task_batch(
                size, deadline=date(2026, 6, 9), followup_user_id=self.officer.id
            )
            self.env.invalidate_all()
            with freeze_time(HANOI_0030.format("2026-06-12")), self.assertQueryCount(101):
                self._remind()
            tasks.sudo().write({"state": "cancelled"})
            self._flush_tracking()


@tagged("post_install", "-at_install")
class TestRemindersReachSomeone(NightRunCommon):
    """Whom the reminders reach when nobody follows a task, and what a mail about a classified
    task says."""

    def test_someone_in_the_office_is_always_reminded(self):
        with_head = self._assigned(date(2026, 6, 9), followup_user_id=False)
        headless = self._assigned(
            date(2026, 6, 9), followup_user_id=False, followup_unit_id=self.division_headless.id
        )
        classified = self._assigned(
            date(2026, 6, 9), followup_user_id=False, directive=self.directive_conf
        )
        self._night()
        managers = self.env.ref("hy_task_tracking.group_office_manager").users.filtered(
            lambda user: user.active and not user.share
        )
        # No officer: the head of the follow-up division; no head either: the Office managers.
        self.assertEqual(self._activities(with_head).user_id, self.officer_uncleared)
        self.assertEqual(self._activities(headless).user_id, managers)
        self.assertIn(self.manager, managers)
        # The head is not cleared for a confidential task: the managers who are.
        cleared = managers.filtered(
            lambda user: user.has_group("hy_task_tracking.group_clearance_confidential")
        )
        self.assertEqual(self._activities(classified).user_id, cleared)
        self.assertIn(self.manager, cleared)
        self.assertFalse(any(self._activities(classified).mapped("summary")))

    def test_stale_and_due_soon_reminders_reach_someone_too(self):
        stale = self._assigned(date(2026, 12, 31), state="in_progress", followup_user_id=False)
        with freeze_time("2026-06-20 03:00:00"):
            self.assertIn(stale, self.env["hy.task"]._cron_stale_reminders())
        self.assertEqual(self._activities(stale, self.stale_type).user_id, self.officer_uncleared)
        # A unit that does not use the software gets no mail: the Office reminds it.
        offline = self._assigned(date(2026, 6, 12), unit=self.unit_off)
        with freeze_time("2026-06-09 03:00:00"):
            self.assertIn(offline, self.env["hy.task"]._cron_due_soon_reminders())
            self.assertNotIn(offline, self.env["hy.task"]._cron_due_soon_reminders())
        self.assertEqual(self._activities(offline, self.due_soon_type).user_id, self.officer)

    def test_a_reminder_about_a_classified_task_names_nothing(self):
        normal = self._assigned(date(2026, 6, 9))
        classified = self._assigned(date(2026, 6, 9), directive=self.directive_conf)
        self._night()
        mail = self._mails_to(self.user_a)
        self.assertEqual(len(mail), 1)
        body = mail.body_html
        self.assertIn(normal.reference, body)
        for secret in (classified.reference, self.directive_conf.number, classified.title):
            self.assertNotIn(secret, body)
        self.assertIn("task(s) of classified directives also need your attention", body)
        self.assertIn("/my/hy_tasks", body)
