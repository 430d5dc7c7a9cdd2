"""The reminder of the units' own reports (Art. 19.1), a nightly job of this module on the task
tracker's runner: when it fires, once only, whom it reaches, and that the job of the database
runs it and reports its run on the managers' settings page."""

from datetime import date

from odoo.tests import freeze_time, tagged

from odoo.addons.hy_task_tracking.tests.common import HANOI_0030
from odoo.addons.hy_task_tracking.tests.jobs_common import UnitHeadsCommon


@tagged("post_install", "-at_install")
class TestReportDeadlineReminders(UnitHeadsCommon):
    """A week before the last day of each report of the settings ("before 20/06" and "before
    30/11" by default: 19/06 and 29/11)."""

    def test_report_deadline_reminders_on_the_right_dates(self):
        Submission = self.env["hy.report.unit.submission"]
        with freeze_time(HANOI_0030.format("2026-06-11")):  # 12 June: 7 days before 19 June
            self.assertEqual(Submission._cron_report_deadline_reminders(), [date(2026, 6, 19)])
            self.assertEqual(Submission._cron_report_deadline_reminders(), [], "once only")
        with freeze_time(HANOI_0030.format("2026-11-20")):  # 21 November: 8 days before 29/11
            self.assertFalse(Submission._cron_report_deadline_reminders())
        with freeze_time(HANOI_0030.format("2026-11-21")):  # 22 November: 7 days before
            self.assertEqual(Submission._cron_report_deadline_reminders(), [date(2026, 11, 29)])
        mails = self._mails_to(self.user_b)
        self.assertEqual(len(mails), 2)
        self.assertIn("30/11/2026", " ".join(mails.mapped("subject")))
        june = mails.filtered(lambda mail: "20/06/2026" in mail.subject)
        self.assertIn(self.unit_b.name, june.body_html)
        self.assertIn("20/06/2026", june.body_html)
        self.assertIn("19/06/2026", june.body_html)

    def test_the_scheduled_job_runs_the_reminder_and_reports_it(self):
        cron = self.env.ref("hy_task_reports.ir_cron_report_deadline_reminders")
        status = self.env.ref("hy_task_reports.hy_job_status_report_deadline")
        self.assertEqual(status.cron_id, cron)
        with freeze_time(HANOI_0030.format("2026-06-12")):
            cron.method_direct_trigger()
        self.assertEqual(len(self._mails_to(self.user_a)), 1)
        statuses = self.env["hy.settings"].with_user(self.manager).create({}).job_status_ids
        self.assertIn(status, statuses)
        self.assertEqual(status.last_state, "done")
        self.assertGreaterEqual(status.last_handled, 2, "units A and B at least")
