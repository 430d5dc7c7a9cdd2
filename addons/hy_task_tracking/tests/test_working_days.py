from datetime import date, datetime, time, timedelta

import pytz

from odoo import fields
from odoo.tests import Form, freeze_time, tagged

from .common import TestHyCommon

dt = fields.Datetime.to_datetime  # naive UTC, as Odoo stores datetimes

# What holidays 0.109 gives for Vietnam (the Office's calendar is generated from it).
TET_2026 = [date(2026, 2, d) for d in range(16, 21)]
TET_2027 = [date(2027, 2, d) for d in range(4, 11)]
TET_2028 = [date(2028, 1, d) for d in range(24, 30)]
HOLIDAYS_2027 = [
    date(2027, 1, 1),
    *TET_2027,
    date(2027, 4, 16),
    date(2027, 4, 30),
    date(2027, 5, 1),
    date(2027, 5, 3),
    date(2027, 9, 2),
    date(2027, 9, 3),
    date(2027, 11, 24),
]


@tagged("post_install", "-at_install")
class TestWorkingDays(TestHyCommon):
    """Deadlines in working days on the Office's calendar, across Tết 2027 (lunar 1/1 =
    Saturday 6 February 2027) and the 2026 National Day swap (Saturday 22/08 worked,
    Monday 31/08 off)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Calendar = cls.env["resource.calendar"]
        cls.calendar = cls.env.ref("hy_task_tracking.resource_calendar_office")
        cls.calendar._hy_generate_vn_holidays([2026, 2027])
        cls.directive.issue_date = date(2026, 1, 5)

    def _holidays(self, year):
        leaves = self.env["resource.calendar.leaves"].search(
            [("calendar_id", "=", self.calendar.id), ("hy_holiday_key", "like", f"{year}-")]
        )
        return sorted(date.fromisoformat(key) for key in leaves.mapped("hy_holiday_key"))

    def _ruled_task(self, days=10, rule="working_days", source="received", **vals):
        return self._task(
            deadline=False,
            deadline_rule=rule,
            deadline_days=days,
            deadline_from=source,
            **vals,
        )

    # ------------------------------------------------------------------ the calendar

    def test_library_holidays_2026_to_2028(self):
        self.calendar._hy_generate_vn_holidays([2028])
        self.assertEqual(self._holidays(2027), HOLIDAYS_2027)
        self.assertTrue(set(TET_2026) <= set(self._holidays(2026)))
        self.assertTrue(set(TET_2028) <= set(self._holidays(2028)))
        # The 2026 swap of the library's table: Monday 31/08 off, Saturday 22/08 worked.
        self.assertIn(date(2026, 8, 31), self._holidays(2026))
        worked = self.calendar.attendance_ids.filtered(lambda a: a.date_from)
        self.assertIn(date(2026, 8, 22), worked.mapped("date_from"))

    def test_whole_days_agree_with_odoo_intervals(self):
        """Our reading by whole days gives the days Odoo's own interval computation gives."""
        tz = pytz.timezone("Asia/Ho_Chi_Minh")
        start = tz.localize(datetime.combine(date(2026, 1, 1), time.min))
        end = tz.localize(datetime.combine(date(2027, 12, 31), time.max))
        odoo_days = {
            begin.astimezone(tz).date()
            for begin, stop, _meta in self.calendar._work_intervals_batch(start, end, tz=tz)[False]
            if stop > begin
        }
        ours = self.calendar._hy_working_dates(date(2026, 1, 1), date(2027, 12, 31))
        self.assertEqual(ours, odoo_days)
        # 522 weekdays, less 13 holidays on weekdays in 2026 and 12 in 2027, plus 22/08/2026.
        self.assertEqual(len(ours), 522 - 13 - 12 + 1)

    def test_generating_again_keeps_the_office_corrections(self):
        Leaves = self.env["resource.calendar.leaves"]
        domain = [("calendar_id", "=", self.calendar.id), ("hy_holiday_key", "!=", False)]
        count = Leaves.search_count(domain)
        renamed = Leaves.search(domain + [("hy_holiday_key", "=", "2027-02-04")])
        renamed.name = "Nghỉ Tết Đinh Mùi (theo thông báo của Chính phủ)"
        moved = Leaves.search(domain + [("hy_holiday_key", "=", "2027-04-16")])
        moved.write({"date_from": dt("2027-04-18 17:00:00"), "date_to": dt("2027-04-19 16:59:00")})
        Leaves.search(domain + [("hy_holiday_key", "=", "2027-05-03")]).unlink()
        # The monthly job: a year is generated once, a deleted day stays deleted.
        self.assertFalse(self.calendar._hy_generate_vn_holidays([2027]))
        self.assertEqual(Leaves.search_count(domain), count - 1)
        # The Office's button brings back what was deleted, and nothing else.
        created = self.calendar._hy_generate_vn_holidays([2027], force=True)
        self.assertEqual(created.mapped("hy_holiday_key"), ["2027-05-03"])
        self.assertEqual(renamed.name, "Nghỉ Tết Đinh Mùi (theo thông báo của Chính phủ)")
        self.assertEqual(moved.date_from, dt("2027-04-18 17:00:00"))
        self.assertEqual(Leaves.search_count(domain), count)

    def test_a_day_the_office_entered_is_not_generated_again(self):
        Leaves = self.env["resource.calendar.leaves"]
        Leaves.search([("calendar_id", "=", self.calendar.id)]).unlink()
        # The Office entered Tết 2027 as one block, before any generation of the year.
        Leaves.create(
            {
                "name": "Nghỉ Tết Nguyên đán Đinh Mùi",
                "calendar_id": self.calendar.id,
                "date_from": dt("2027-02-03 17:00:00"),
                "date_to": dt("2027-02-10 16:59:59"),
            }
        )
        created = self.calendar._hy_generate_vn_holidays([2027], force=True)
        self.assertFalse(
            set(TET_2027) & {date.fromisoformat(k) for k in created.mapped("hy_holiday_key")}
        )
        self.assertIn("2027-04-16", created.mapped("hy_holiday_key"))

    @freeze_time("2027-12-01 03:00:00")
    def test_december_job_prepares_next_year(self):
        self.assertFalse(self._holidays(2028))
        self.Calendar._cron_hy_prepare_holidays()
        self.assertEqual(self._holidays(2028)[:1], [date(2028, 1, 1)])
        self.assertFalse(self.Calendar._cron_hy_prepare_holidays())

    # ------------------------------------------------------------------ deadlines by rule

    @freeze_time("2027-01-29 03:00:00")
    def test_ten_working_days_from_receipt_across_tet(self):
        task = self._ruled_task()
        task.action_assign()
        self.assertEqual(task.date_assigned, date(2027, 1, 29))
        self.assertEqual(task.date_received, date(2027, 1, 29))
        # Feb 1, 2, 3; Tết from Thursday 4 to Wednesday 10; Feb 11, 12, 15, 16, 17, 18, 19.
        self.assertEqual(task.deadline, date(2027, 2, 19))
        self.assertEqual(task.original_deadline, date(2027, 2, 19))
        self.assertEqual(task.deadline_rule_text, "10 working days from receipt")
        # Ten days: 8 February is Tết, so the deadline moves to the next working day.
        days = self._ruled_task(rule="calendar_days")
        days.action_assign()
        self.assertEqual(days.deadline, date(2027, 2, 11))

    @freeze_time("2027-01-29 03:00:00")
    def test_receipt_date_moves_the_deadline_until_accepted(self):
        task = self._ruled_task()
        task.action_assign()
        # The unit received the document on paper on Monday.
        task.date_received = date(2027, 2, 1)
        self.assertEqual(task.deadline, date(2027, 2, 22))
        self.assertEqual(task.original_deadline, date(2027, 2, 22))
        ledger = task.ledger_ids.filtered(lambda e: e.change == "deadline")
        self.assertTrue(ledger, "the recomputed deadline is in the task's history")
        task.with_user(self.user_a).action_accept()
        task.date_received = date(2027, 2, 2)
        self.assertEqual(task.deadline, date(2027, 2, 22), "accepted: the deadline stays")

    @freeze_time("2027-01-29 03:00:00")
    def test_from_assignment_and_draft_preview(self):
        task = self._ruled_task(days=3, source="assigned")
        # A draft counts from today until it is assigned.
        self.assertEqual(task.deadline, date(2027, 2, 3))
        with freeze_time("2027-02-03 03:00:00"):
            task.action_assign()
        self.assertEqual(task.deadline, date(2027, 2, 15))
        # Given as a date again: the date stays and can be changed by hand.
        task.deadline_rule = "date"
        self.assertEqual(task.deadline, date(2027, 2, 15))

    def test_compensatory_day_and_working_saturday(self):
        # Saturday 22/08/2026 is worked; Monday 31/08, 1/09 and 2/09 are off.
        self.assertEqual(
            self.env["hy.task"]._deadline_by_rule("working_days", 3, date(2026, 8, 21)),
            date(2026, 8, 25),
        )
        self.assertEqual(
            self.env["hy.task"]._deadline_by_rule("working_days", 2, date(2026, 8, 28)),
            date(2026, 9, 4),
        )

    def test_office_corrections_change_the_count(self):
        Task = self.env["hy.task"]
        self.assertEqual(
            Task._deadline_by_rule("working_days", 4, date(2027, 1, 29)), date(2027, 2, 11)
        )
        # A nine-day Tết as the Government may announce it: Saturday 30/01 worked for 11/02.
        self.env["resource.calendar.leaves"].with_context(hy_office_calendar=True).create(
            {
                "name": "Nghỉ bù Tết (làm bù thứ Bảy 30/01/2027)",
                "calendar_id": self.calendar.id,
                "date_from": dt("2027-02-10 17:00:00"),
                "date_to": dt("2027-02-11 16:59:59"),
            }
        )
        self.env["resource.calendar.attendance"].with_context(hy_extra_working_day=True).create(
            {
                "name": "Làm bù cho ngày 11/02/2027",
                "calendar_id": self.calendar.id,
                "date_from": date(2027, 1, 30),
                "hour_from": 7.5,
                "hour_to": 16.5,
            }
        )
        self.assertEqual(
            Task._deadline_by_rule("working_days", 4, date(2027, 1, 29)), date(2027, 2, 3)
        )
        self.assertEqual(
            Task._deadline_by_rule("working_days", 5, date(2027, 1, 29)), date(2027, 2, 12)
        )

    # ------------------------------------------------------------------ days late, days left

    def test_working_days_late_in_hanoi_time(self):
        with freeze_time("2027-01-29 03:00:00"):
            task = self._task(deadline=date(2027, 2, 3), state="in_progress")
        # 23:30 in Hà Nội on 10 February, the last day of Tết: late, but no working day yet.
        with freeze_time("2027-02-10 16:30:00"):
            task.invalidate_recordset()
            task._compute_status_category()
            self.assertEqual(task.status_category, "in_progress_overdue")
            self.assertEqual((task.days_overdue, task.working_days_overdue), (7, 0))
        # 00:30 on 11 February in Hà Nội (17:30 UTC the day before): one working day late.
        with freeze_time("2027-02-10 17:30:00"):
            task.invalidate_recordset()
            self.assertEqual((task.days_overdue, task.working_days_overdue), (8, 1))
        # 23:30 UTC on 11 February is already the 12th in Hà Nội.
        with freeze_time("2027-02-11 23:30:00"):
            task.invalidate_recordset()
            self.assertEqual((task.days_overdue, task.working_days_overdue), (9, 2))

    @freeze_time("2027-02-03 03:00:00")
    def test_working_days_left(self):
        task = self._task(deadline=date(2027, 2, 19), state="in_progress")
        # Feb 11, 12, 15, 16, 17, 18, 19.
        self.assertEqual(task.working_days_left, 7)
        self.assertEqual(task.working_days_overdue, 0)
        task.deadline = date(2027, 2, 3)
        self.assertEqual(task.working_days_left, 0, "due today")

    @freeze_time("2027-02-15 03:00:00")
    def test_counts_load_the_calendar_once_per_batch(self):
        def queries(count):
            tasks = self.env["hy.task"]
            for index in range(count):
                tasks |= self._task(
                    deadline=date(2027, 1, 20) + timedelta(days=index), state="in_progress"
                )
            tasks.invalidate_recordset()
            self.env["resource.calendar"].invalidate_model()
            self.env["resource.calendar.attendance"].invalidate_model()
            tasks.fetch(["deadline", "state", "status_category"])
            before = self.cr.sql_log_count
            tasks.mapped("working_days_overdue")
            return self.cr.sql_log_count - before

        queries(1)  # warm the caches of the registry (xml ids, week types)
        self.assertEqual(queries(2), queries(20))

    # ------------------------------------------------------------------ extensions

    @freeze_time("2027-02-01 03:00:00")
    def test_extension_in_working_days(self):
        task = self._task(deadline=date(2027, 2, 3), state="in_progress")
        extension = (
            self.env["hy.task.extension"]
            .with_user(self.user_a)
            .create(
                {
                    "task_id": task.id,
                    "extension_rule": "working_days",
                    "extension_days": 3,
                    "new_deadline": date(2027, 2, 4),
                    "reason": "Chờ ý kiến các sở sau Tết",
                }
            )
        )
        self.assertEqual(extension.new_deadline, date(2027, 2, 15))
        extension.with_user(self.officer).action_approve()
        self.assertEqual(task.deadline, date(2027, 2, 15))

    @freeze_time("2027-02-01 03:00:00")
    def test_form_shows_the_rule_deadline(self):
        with Form(self.env["hy.task"].with_user(self.officer)) as form:
            form.directive_id = self.directive
            form.name = "Báo cáo kết quả"
            form.lead_unit_id = self.unit_a
            form.deadline_rule = "working_days"
            form.deadline_days = 2
            self.assertEqual(form.deadline, date(2027, 2, 3))
            form.deadline_days = 3
            self.assertEqual(form.deadline, date(2027, 2, 11))
        self.assertEqual(form.record.deadline, date(2027, 2, 11))

    @freeze_time("2027-02-01 03:00:00")
    def test_extension_wizard_in_working_days(self):
        task = self._task(deadline=date(2027, 2, 3), state="in_progress")
        action = task.with_user(self.user_a).action_open_extension_wizard()
        Wizard = self.env["hy.task.workflow.wizard"].with_user(self.user_a)
        with Form(Wizard.with_context(**action["context"])) as form:
            form.extension_rule = "working_days"
            form.extension_days = 5
            self.assertEqual(form.new_deadline, date(2027, 2, 17))
            form.reason = "Chờ số liệu quyết toán sau Tết"
        form.record.action_apply()
        self.assertEqual(task.pending_extension_deadline, date(2027, 2, 17))
        self.assertEqual(task.pending_extension_id.extension_days, 5)
