"""Deadline words (issue 24.3): "before 20/06" is by the end of 19/06 everywhere; the 6-month
and annual periods end on the data cut-offs of the settings (Decree 09/2019/NĐ-CP, Art. 12), and
a unit reports on a period that has ended."""

from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from odoo.addons.hy_task_tracking.tests.common import HANOI_0030
from odoo.addons.hy_task_tracking.tests.jobs_common import UnitHeadsCommon

REPORT_TEXT = "Sở Nội vụ báo cáo kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2026 như sau: ..."


@tagged("post_install", "-at_install")
class TestDeadlineWords(UnitHeadsCommon):
    def _period(self, kind="six_month", year=2026):
        return self.env["hy.report.period"].create(
            {"kind": kind, "year": year, "unit_ids": [(6, 0, (self.unit_a | self.unit_b).ids)]}
        )

    def _submit(self, period, user, unit):
        return (
            self.env["hy.report.unit.submission"]
            .with_user(user)
            .create({"period_id": period.id, "unit_id": unit.id, "text": REPORT_TEXT})
        )

    def _save_settings(self, **values):
        form = Form(self.env["hy.settings"].with_user(self.manager))
        for name, value in values.items():
            setattr(form, name, value)
        form.save().action_save()

    def test_default_periods_end_on_the_cutoffs_before_the_last_days(self):
        six = self._period()
        self.assertEqual((six.date_from, six.date_to), (date(2025, 12, 15), date(2026, 6, 14)))
        self.assertEqual(six.unit_report_deadline, date(2026, 6, 19), "before 20/06")
        self.assertIn("in the first six months of 2026", six.with_context(lang="en_US").name)
        annual = self._period("annual")
        self.assertEqual(
            (annual.date_from, annual.date_to), (date(2025, 11, 15), date(2026, 11, 14))
        )
        self.assertEqual(annual.unit_report_deadline, date(2026, 11, 29), "before 30/11")
        self.assertIn("in 2026", annual.with_context(lang="en_US").name)

    def test_settings_keep_each_cutoff_before_its_last_day(self):
        form = Form(self.env["hy.settings"].with_user(self.manager))
        self.assertEqual(
            (form.report_deadlines, form.period_cutoffs), ("20/06,30/11", "14/06,14/11")
        )
        for deadlines, cutoffs in (
            # The Decree's annual cut-off, 14/12, falls after "before 30/11".
            ("20/06,30/11", "14/06,14/12"),
            # A calendar half-year ends after "before 20/06".
            ("20/06,30/11", "30/06,14/11"),
            # The cut-off on the last day itself leaves no day to report.
            ("20/06,30/11", "19/06,14/11"),
            ("20/06,30/11", "14/06"),
            ("20/06,30/11", "31/06,14/11"),
            ("20/06,30/11", "29/02,14/11"),
        ):
            with self.subTest(cutoffs=cutoffs), self.assertRaises(ValidationError):
                self.env["hy.settings"].with_user(self.manager).create(
                    {"report_deadlines": deadlines, "period_cutoffs": cutoffs}
                )
        # With a later annual deadline, the Decree's annual period as it is written.
        self._save_settings(report_deadlines="20/06,20/12", period_cutoffs="14/06,14/12")
        annual = self._period("annual")
        self.assertEqual(
            (annual.date_from, annual.date_to), (date(2025, 12, 15), date(2026, 12, 14))
        )
        self.assertEqual(annual.unit_report_deadline, date(2026, 12, 19))
        # The calendar half-year, for a province that counts so, reported before 10/07.
        self._save_settings(report_deadlines="10/07,30/11", period_cutoffs="30/06,14/11")
        self.assertEqual(
            (self._period().date_from, self._period(year=2027).date_to),
            (date(2026, 1, 1), date(2027, 6, 30)),
        )

    def test_a_unit_reports_on_a_period_that_has_ended(self):
        period = self._period()
        with freeze_time("2026-06-14 16:30:00"):  # 23:30 on 14 June in Hà Nội: the last day
            for user, unit in ((self.user_a, self.unit_a), (self.officer, self.unit_b)):
                with self.subTest(user=user.login), self.assertRaises(UserError) as refusal:
                    self._submit(period, user, unit)
                self.assertIn("14/06/2026", str(refusal.exception))
                self.assertIn("15/06/2026", str(refusal.exception))
        self.assertFalse(period.submission_ids)
        with freeze_time("2026-06-14 17:30:00"):  # 00:30 on 15 June in Hà Nội: ended
            submission = self._submit(period, self.user_a, self.unit_a)
        self.assertFalse(submission.is_late)

    def test_filed_on_the_last_day_on_time_and_after_midnight_late(self):
        period = self._period()
        with freeze_time("2026-06-19 16:30:00"):  # 23:30 on 19 June in Hà Nội
            on_time = self._submit(period, self.user_a, self.unit_a)
            self.assertFalse(period._deadline_passed())
        with freeze_time("2026-06-19 17:30:00"):  # 00:30 on 20 June in Hà Nội
            late = self._submit(period, self.user_b, self.unit_b)
            self.assertTrue(period._deadline_passed())
            with self.assertRaises(UserError):
                on_time.with_user(self.user_a).write({"text": REPORT_TEXT + " (bổ sung)"})
        self.assertFalse(on_time.is_late)
        self.assertTrue(late.is_late)
        self.assertEqual(period.late_submission_count, 1)

    def test_reminder_says_before_and_the_last_day(self):
        Submission = self.env["hy.report.unit.submission"]
        with freeze_time(HANOI_0030.format("2026-06-12")):  # 13 June: 6 days before 19 June
            self.assertEqual(Submission._cron_report_deadline_reminders(), [date(2026, 6, 19)])
        with freeze_time(HANOI_0030.format("2026-06-19")):  # 20 June: "before 20/06" is over
            self.assertFalse(Submission._cron_report_deadline_reminders())
        mail = self._mails_to(self.user_a)
        self.assertEqual(len(mail), 1)
        self.assertIn("20/06/2026", mail.subject)
        self.assertIn("19/06/2026", mail.subject)
        for day in ("20/06/2026", "19/06/2026", "15/12/2025", "14/06/2026"):
            self.assertIn(day, mail.body_html)
