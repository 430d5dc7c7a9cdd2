"""The two set-ups of the nightly-job tests (test_reminder_jobs, test_digest_jobs,
test_job_runner)."""

from odoo.tests import freeze_time

from .common import HANOI_0030, TestHyCommon

NIGHT = HANOI_0030.format("2026-06-09")  # the night the deadline of 9 June passes


class UnitHeadsCommon(TestHyCommon):
    """Unit A headed by one of its members, unit B by its portal member: whom the unit-side
    reminders and the digests reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit_a.head_user_id = cls.user_a
        cls.unit_b.head_user_id = cls.portal_b


class NightRunCommon(TestHyCommon):
    """A night's run of the reminder jobs: the overdue job's status, a follow-up division with
    a head and one without, unit members with a mail address, and whatever the demo data holds
    already reminded, so that each test sees its own tasks only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.status = cls.env.ref("hy_task_tracking.hy_job_status_overdue")
        cls.division_headless = cls.env["hy.unit"].create(
            {"name": "Phòng Nội chính", "code": "T-PNC", "unit_type": "office_division"}
        )
        cls.division.head_user_id = cls.officer_uncleared
        for user in (cls.user_a, cls.user_b, cls.portal_a, cls.portal_b):
            user.partner_id.email = f"{user.login}@hungyen.example.com"
        with freeze_time(NIGHT):
            cls.env["hy.task"]._cron_overdue_reminders()
            cls.env["hy.task"]._cron_due_soon_reminders()
            cls.env["hy.task"]._cron_stale_reminders()

    def _night(self, when=NIGHT):
        with freeze_time(when):
            self.env["hy.task"]._cron_overdue_reminders()
        self.env.invalidate_all()
