from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, freeze_time, tagged, warmup

from .common import HANOI_0030, TestHyCommon


@tagged("post_install", "-at_install")
class TestAutomation(TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit_a.head_user_id = cls.user_a
        cls.unit_b.head_user_id = cls.portal_b

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

    # ------------------------------------------------------------------ report deadlines

    def test_report_deadline_reminders_on_the_right_dates(self):
        Task = self.env["hy.task"]
        with freeze_time(HANOI_0030.format("2026-06-12")):  # 13 June: 7 days before 20 June
            self.assertEqual(Task._cron_report_deadline_reminders(), [date(2026, 6, 20)])
            self.assertEqual(Task._cron_report_deadline_reminders(), [], "once only")
        with freeze_time(HANOI_0030.format("2026-11-20")):  # 21 June... no: 21 November
            self.assertFalse(Task._cron_report_deadline_reminders())
        with freeze_time(HANOI_0030.format("2026-11-22")):  # 23 November: 7 days before
            self.assertEqual(Task._cron_report_deadline_reminders(), [date(2026, 11, 30)])
        mails = self._mails_to(self.user_b)
        self.assertEqual(len(mails), 2)
        self.assertIn("30/11/2026", " ".join(mails.mapped("subject")))

    # ------------------------------------------------------------------ digests

    def _classified_overdue_b(self):
        return self._assigned(date(2026, 6, 5), unit=self.unit_b, directive=self.directive_conf)

    def test_leadership_digest_counts_what_the_leader_may_see(self):
        Digest = self.env["hy.digest"]
        period = (date(2026, 6, 8), date(2026, 6, 14))

        def values():
            with freeze_time(HANOI_0030.format("2026-06-14")):
                self.env["hy.task"]._cron_recompute_timeliness()
                return (
                    Digest._leadership_values(self.leader, *period),
                    Digest._leadership_values(self.officer_uncleared, *period),
                )

        leader_before, uncleared_before = values()
        normal_late = self._assigned(date(2026, 6, 5), unit=self.unit_b, name="Lập quy hoạch")
        self._classified_overdue_b()
        leader, uncleared = values()
        self.assertEqual(leader["overdue"] - leader_before["overdue"], 2)
        self.assertEqual(
            uncleared["overdue"] - uncleared_before["overdue"],
            1,
            "no classified count without clearance",
        )
        self.assertEqual(dict(leader["overdue_by_unit"])[self.unit_b], 2)
        body = self.env["ir.qweb"]._render(
            "hy_task_tracking.mail_digest_leadership", dict(leader, base_url="")
        )
        self.assertIn(self.unit_b.name, str(body))
        self.assertNotIn(normal_late.name, str(body))  # due-next lists only; overdue counted
        self.assertNotIn(self.directive_conf.number, str(body))

    def test_unit_head_digest_shows_only_the_unit(self):
        mine = self._assigned(date(2026, 6, 5), unit=self.unit_a, name="Tổng hợp báo cáo")
        other = self._assigned(date(2026, 6, 5), unit=self.unit_b, name="Việc của Sở Tài chính")
        with freeze_time(HANOI_0030.format("2026-06-14")):
            self.env["hy.task"]._cron_recompute_timeliness()
            mails = self.env["hy.digest"]._send_unit_head_digests()
        to_a = mails.filtered(lambda m: self.user_a.partner_id in m.recipient_ids)
        self.assertEqual(len(to_a), 1)
        self.assertIn(mine.reference, to_a.body_html)
        self.assertNotIn(other.reference, to_a.body_html)
        to_b = mails.filtered(lambda m: self.portal_b.partner_id in m.recipient_ids)
        self.assertIn(other.access_url, to_b.body_html, "portal heads get portal links")

    def test_unsubscribed_leaders_get_no_digest(self):
        self.leader.email = "chutich@hungyen.example.com"
        with freeze_time(HANOI_0030.format("2026-06-14")):
            mails = self.env["hy.digest"]._send_leadership_digests("week")
            self.assertIn(self.leader.partner_id, mails.recipient_ids)
            self.leader.hy_digest_optout = True
            mails = self.env["hy.digest"]._send_leadership_digests("week")
            self.assertNotIn(self.leader.partner_id, mails.recipient_ids)

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
        # The unit mails count working days: the Office's calendar is read once per batch.
        for size in (10, 100):
            tasks = self._task_batch(
                size, deadline=date(2026, 6, 9), followup_user_id=self.officer.id
            )
            self.env.invalidate_all()
            with freeze_time(HANOI_0030.format("2026-06-12")), self.assertQueryCount(98):
                self._remind()
            tasks.sudo().write({"state": "cancelled"})
            self._flush_tracking()

    # ------------------------------------------------------------------ settings

    def test_office_managers_set_reminders_without_being_administrators(self):
        self.assertFalse(self.manager.has_group("base.group_system"))
        form = Form(self.env["hy.settings"].with_user(self.manager))
        self.assertEqual(form.due_soon_thresholds, "3,1")
        form.due_soon_thresholds = "5,2"
        form.digest_monthly = False
        form.save().action_save()
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param("hy_task_tracking.due_soon_thresholds"), "5,2")
        self.assertFalse(params.get_param("hy_task_tracking.digest_monthly"))
        self.assertFalse(self.env["hy.digest"]._cron_monthly_digests())
        with self.assertRaises(ValidationError):
            self.env["hy.settings"].with_user(self.manager).create(
                {"due_soon_thresholds": "ba", "report_deadlines": "20/06"}
            )
        with self.assertRaises(AccessError):
            self.env["hy.settings"].with_user(self.officer).create({}).action_save()
