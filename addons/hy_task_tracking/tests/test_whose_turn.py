from datetime import date

from odoo.tests import freeze_time, tagged

from .common import TestHyCommon

# June 2026 has no public holiday: 8 June is a Monday, 15 June the next Monday.
RETURNED = "2026-06-08 03:00:00"
DECIDED = "2026-06-15 03:00:00"


@tagged("post_install", "-at_install")
class TestWhoseTurn(TestHyCommon):
    """While a task waits for the Office, its deadline does not run against its unit; the
    Office has its own time limit; the task comes back with its deadline as it stands."""

    def _nightly(self, when):
        with freeze_time(when):
            self.env["hy.task"]._cron_recompute_timeliness()
            self.env.invalidate_all()

    def test_returned_task_is_with_the_office_not_overdue_against_the_unit(self):
        task = self._assigned(date(2026, 6, 10))
        with freeze_time(RETURNED):
            task.with_user(self.user_a)._return_to_office("Không thuộc chức năng của Sở")
            task.flush_recordset()
        self.assertTrue(task.with_office)
        self.assertEqual(task.office_wait, "return")
        self.assertEqual(task.office_since, date(2026, 6, 8))
        # Five working days (the default setting) after the day it came back: Monday 15th.
        self.assertEqual(task.office_due, date(2026, 6, 15))
        # The deadline passes while the Office holds the task: not overdue against the unit.
        self._nightly("2026-06-12 17:30:00")  # 00:30 on 13 June in Hà Nội
        with freeze_time("2026-06-13 03:00:00"):
            self.assertEqual(task.status_category, "not_started_on_time")
            self.assertEqual(task.timeliness, "on_time")
            self.assertEqual(self.unit_a.overdue_task_count, 0)
            self.assertFalse(task.office_overdue)
            self.assertEqual(task.working_days_overdue, 0)
        # The day after its own limit, the Office is late, and says so in the search.
        with freeze_time("2026-06-16 03:00:00"):
            task.invalidate_recordset(["office_overdue"])
            self.assertTrue(task.office_overdue)
            late = self.env["hy.task"].search([("office_overdue", "=", True)])
            self.assertIn(task, late)

    def test_decided_after_the_deadline_the_unit_is_late_only_for_its_own_days(self):
        """The worked example of readme/USAGE.md: deadline Wednesday 10 June, returned on
        Monday 8th, reassigned by the Office on Monday 15th (5 working days later)."""
        task = self._assigned(date(2026, 6, 10))
        with freeze_time(RETURNED):
            task.with_user(self.user_a)._return_to_office("Thiếu tài liệu kèm theo")
        with freeze_time(DECIDED):
            task.with_user(self.officer).action_assign()
            task.flush_recordset()
            # Back with the unit, with its deadline as it stands: overdue from today.
            self.assertFalse(task.with_office)
            self.assertEqual(task.deadline, date(2026, 6, 10))
            self.assertEqual(task.status_category, "not_started_overdue")
            # The 11th, 12th and 15th were the Office's: nothing is counted against the unit.
            self.assertEqual(task.working_days_overdue, 0)
        with freeze_time("2026-06-17 03:00:00"):
            task.invalidate_recordset(["working_days_overdue"])
            # 16th and 17th: the unit's two working days late; the calendar says five.
            self.assertEqual(task.working_days_overdue, 2)
        entries = task.ledger_ids.filtered(lambda e: e.change == "with_office").sorted("id")
        self.assertEqual(entries.mapped("new_value"), ["1", "0"])
        self.assertEqual(entries.mapped("date"), [date(2026, 6, 8), date(2026, 6, 15)])

    def test_reported_result_is_not_done_until_the_office_confirms(self):
        task = self._assigned(date(2026, 6, 30), state="in_progress")
        with freeze_time("2026-06-20 03:00:00"):
            task.with_user(self.user_a)._unit_report_done("Đã ban hành Kế hoạch", date(2026, 6, 19))
            task.flush_recordset()
            # The national category is the result's timeliness; the status shown is not done.
            self.assertEqual(task.status_category, "done_on_time")
            self.assertEqual(task.progress_status, "done_unconfirmed")
            self.assertEqual(task.office_wait, "confirmation")
            self.assertEqual(task.office_due, date(2026, 6, 26))
            self.assertEqual(self.directive.task_done_count, 0)
            task.with_user(self.manager)._evaluate_and_confirm("good")
            task.flush_recordset()
            self.assertEqual(task.progress_status, "done_on_time")
            self.assertFalse(task.with_office)
            self.directive.invalidate_recordset(["task_done_count"])
            self.assertEqual(self.directive.task_done_count, 1)

    def test_send_back_undoes_what_the_report_set(self):
        task = self._assigned(date(2026, 6, 30), state="in_progress")
        with freeze_time("2026-06-10 03:00:00"):
            task.with_user(self.user_a).write({"progress": 40})
        with freeze_time("2026-06-20 03:00:00"):
            task.with_user(self.user_a)._unit_report_done("Báo cáo số 12/BC-SNV", date(2026, 6, 19))
            self.assertEqual(task.progress, 100)
            task.with_user(self.officer)._send_back("Thiếu số liệu của quý II")
        self.assertEqual(task.state, "in_progress")
        self.assertEqual(task.progress, 40)
        self.assertFalse(task.result)
        self.assertFalse(task.date_done)
        self.assertEqual(task.progress_status, "in_progress_on_time")
        # The result sent back stays readable in the chatter.
        bodies = " ".join(task.message_ids.mapped("body"))
        self.assertIn("Báo cáo số 12/BC-SNV", bodies)

    def test_extension_waiting_holds_the_deadline_and_refusal_returns_it(self):
        task = self._assigned(date(2026, 6, 10), state="in_progress")
        with freeze_time("2026-06-09 03:00:00"):
            self._request_extension(task, date(2026, 6, 20))
            task.flush_recordset()
        self.assertEqual(task.office_wait, "extension")
        self.assertEqual(task.office_due, date(2026, 6, 12))  # three working days
        self._nightly("2026-06-10 17:30:00")
        with freeze_time("2026-06-11 03:00:00"):
            self.assertEqual(task.status_category, "in_progress_on_time")
        with freeze_time("2026-06-12 03:00:00"):
            task.pending_extension_id.with_user(self.officer).action_refuse("Không có căn cứ")
            task.flush_recordset()
            self.assertFalse(task.with_office)
            self.assertEqual(task.status_category, "in_progress_overdue")
        changes = task.ledger_ids.filtered(lambda e: e.change == "with_office").sorted("id")
        self.assertEqual(changes.mapped("new_value"), ["1", "0"])

    def test_reporting_cancelling_or_transferring_closes_a_pending_request(self):
        reported = self._assigned(date(2026, 6, 30), state="in_progress")
        cancelled = self._assigned(date(2026, 6, 30), state="in_progress")
        transferred = self._assigned(date(2026, 6, 30), state="in_progress")
        with freeze_time("2026-06-09 03:00:00"):
            for task in reported | cancelled | transferred:
                self._request_extension(task, date(2026, 7, 20))
            reported.with_user(self.user_a)._unit_report_done("Hoàn thành", date(2026, 6, 9))
            cancelled.with_user(self.officer).action_cancel()
            transferred.with_user(self.officer)._transfer_to_unit(self.unit_b, "Đúng chức năng")
        for task, words in (
            (reported, "reported done"),
            (cancelled, "cancelled"),
            (transferred, "transferred"),
        ):
            extension = task.extension_ids
            self.assertEqual(extension.state, "closed")
            self.assertIn(words, extension.refuse_reason)
            self.assertFalse(task.extension_pending)
            # The requester is told why, by name.
            told = task.message_ids.filtered(lambda m, e=extension: "is closed" in m.body)
            self.assertIn(self.user_a.partner_id, told.partner_ids)
        self.assertEqual(reported.office_wait, "confirmation")
        self.assertFalse(transferred.with_office)

    def test_after_an_approved_extension_the_rule_gives_way_to_the_new_deadline(self):
        task = self._assigned(
            False, deadline_rule="working_days", deadline_days=10, state="in_progress"
        )
        original = task.deadline
        with freeze_time("2026-06-09 03:00:00"):
            self._request_extension(task, date(2026, 7, 20))
            task.pending_extension_id.with_user(self.officer).action_approve()
        self.assertEqual(task.deadline, date(2026, 7, 20))
        self.assertEqual(
            task.deadline_rule_text,
            f"extended to 20/07/2026, original deadline {original.strftime('%d/%m/%Y')}",
        )

    def test_office_limits_are_settings(self):
        self.env["hy.settings"].with_user(self.manager).create(
            {"office_return_days": 2}
        ).action_save()
        task = self._assigned(date(2026, 6, 10))
        with freeze_time(RETURNED):
            task.with_user(self.user_a)._return_to_office("Sai nội dung")
            task.flush_recordset()
        self.assertEqual(task.office_due, date(2026, 6, 10))


@tagged("post_install", "-at_install")
class TestNeverAcceptedReminder(TestHyCommon):
    """A task without deadline that its unit never accepts is not forgotten."""

    def test_officer_is_reminded_once_after_the_working_days_set(self):
        task = self._assigned(False)  # assigned on Monday 1 June 2026, no deadline
        accepted = self._assigned(False, state="in_progress")
        Task = self.env["hy.task"]
        stale = self.stale_type
        # Four working days later (Friday 5th): not yet.
        with freeze_time("2026-06-05 03:00:00"):
            Task._cron_stale_reminders()
        self.assertFalse(self._activities(task, stale))
        # Five working days (Monday 8th, the weekend not counted): the officer is reminded.
        with freeze_time("2026-06-08 03:00:00"):
            Task._cron_stale_reminders()
            Task._cron_stale_reminders()  # a rerun repeats nothing
        activity = self._activities(task, stale)
        self.assertEqual(activity.user_id, self.officer)
        self.assertIn("never accepted", activity.summary)
        self.assertFalse(self._activities(accepted, stale))
