"""How the nightly jobs run: a failure stops nothing else, a rerun finishes the work and does
nothing twice, the Office's managers see what each job did and set the reminders; the cost of
each job whatever the number of tasks."""

from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, freeze_time, tagged, warmup
from odoo.tools import mute_logger

from .common import HANOI_0030, TestHyCommon
from .jobs_common import NightRunCommon


@tagged("post_install", "-at_install")
class TestJobRunner(NightRunCommon):
    """A night's run: its failures, its reruns, its status and its queries."""

    # ------------------------------------------------------------------ languages

    def test_a_language_that_is_not_installed_stops_nothing(self):
        """Vietnamese removed, a unit's members in a language never installed: English."""
        late = self._assigned(date(2026, 6, 9))
        partners = (self.user_a | self.portal_a).partner_id
        self.env.cr.execute(
            "UPDATE res_partner SET lang = 'fr_FR' WHERE id IN %s", [tuple(partners.ids)]
        )
        self.env.cr.execute("UPDATE res_lang SET active = FALSE WHERE code = 'vi_VN'")
        self.env.registry.clear_cache()
        self.env.invalidate_all()
        self.assertFalse(self.env["res.lang"]._get_code("vi_VN"))
        self._night()
        self.assertEqual(late.status_category, "not_started_overdue")
        self.assertEqual(self._activities(late).user_id, self.officer)
        mail = self._mails_to(self.user_a)
        self.assertEqual(len(mail), 1)
        self.assertIn("overdue task", mail.subject)
        self.assertEqual(self.status.last_state, "done")
        self.assertGreaterEqual(self.status.last_handled, 3)  # status, activity, notice

    # ------------------------------------------------------------------ failures

    @mute_logger("odoo.addons.hy_task_tracking.models.hy_job_status")  # the failures it provokes
    def test_one_unit_failing_does_not_stop_the_others_and_the_rerun_finishes(self):
        late_a = self._assigned(date(2026, 6, 9), unit=self.unit_a)
        late_b = self._assigned(date(2026, 6, 9), unit=self.unit_b)
        Digest = type(self.env["hy.digest"])
        notify = Digest._notify_units

        def refused_for_b(digest, tasks, kind):
            if tasks.lead_unit_id == self.unit_b:
                raise ValueError("the mail server refused the address of Sở Tài chính")
            return notify(digest, tasks, kind)

        with patch.object(Digest, "_notify_units", refused_for_b):
            self._night()
        self.assertEqual(len(self._mails_to(self.user_a)), 1)
        self.assertFalse(self._mails_to(self.user_b))
        self.assertEqual(len(self._activities(late_a | late_b)), 2)
        self.assertEqual(self.status.last_state, "partial")
        self.assertTrue(self.status.last_failure)
        self.assertIn(self.unit_b.name, self.status.last_failure_message)
        self.assertIn("refused the address", self.status.last_failure_message)
        # The Office managers are told once, whatever the number of failures.
        notices = self.status.message_ids.filtered(
            lambda m: self.manager.partner_id in m.partner_ids
        )
        self.assertEqual(len(notices), 1)
        # The next run sends what is missing, and nothing twice.
        self._night(HANOI_0030.format("2026-06-10"))
        self.assertEqual(len(self._mails_to(self.user_b)), 1)
        self.assertEqual(len(self._mails_to(self.user_a)), 1)
        self.assertEqual(len(self._activities(late_a | late_b)), 2)
        self.assertEqual(self.status.last_state, "done")
        self.assertEqual(len(self.status.message_ids.filtered(lambda m: m.partner_ids)), 1)

    @mute_logger("odoo.addons.hy_task_tracking.models.hy_job_status")  # the failure it provokes
    def test_a_job_stopped_after_the_statuses_keeps_them_and_a_rerun_adds_nothing_twice(self):
        late = self._assigned(date(2026, 6, 9))
        Task = type(self.env["hy.task"])
        with patch.object(Task, "_already_reminded", side_effect=MemoryError("killed")):
            self._night()
        # The statuses were committed before the job stopped; nothing else was done.
        self.assertEqual(late.status_category, "not_started_overdue")
        self.assertFalse(self._activities(late))
        self.assertEqual(self.status.last_state, "failed")
        self.assertIn("killed", self.status.last_failure_message)
        for when in ("2026-06-09 18:00:00", "2026-06-09 19:00:00"):
            self._night(when)
        self.assertEqual(len(self._activities(late)), 1)
        self.assertEqual(len(self._mails_to(self.user_a)), 1)

    # ------------------------------------------------------------------ the settings page

    def test_the_managers_see_what_each_job_did(self):
        self._assigned(date(2026, 6, 9))
        self._night()
        statuses = self.env["hy.settings"].with_user(self.manager).create({}).job_status_ids
        self.assertLessEqual({"overdue", "due_soon", "stale"}, set(statuses.mapped("job")))
        overdue = statuses.filtered(lambda s: s.job == "overdue")
        self.assertEqual(overdue.last_state, "done")
        self.assertTrue(overdue.last_success)
        self.assertGreaterEqual(overdue.last_handled, 3)
        for user in (self.officer, self.user_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["hy.job.status"].with_user(user).search([]).read(["last_state"])

    # ------------------------------------------------------------------ query counts

    @warmup
    def test_each_job_makes_as_many_queries_for_300_tasks_as_for_10(self):
        Task = self.env["hy.task"]
        # job: its queries, whatever the number of tasks. The overdue job reads, once, the
        # days the Office held the tasks (the units' mails give the working days late that are
        # the units' own); the stale job also looks for tasks without deadline never accepted.
        jobs = {
            "overdue": (Task._cron_overdue_reminders, 85),
            "due soon": (Task._cron_due_soon_reminders, 44),
            "stale": (Task._cron_stale_reminders, 13),
        }
        # A third of the tasks for each job: no more than the 100 rows the ORM inserts at once.
        for size in (10, 300):
            tasks = self._task_batch(
                size,
                # overdue on the 12th, due soon, or in progress without news
                deadline=lambda i: (date(2026, 6, 9), date(2026, 6, 14), False)[i % 3],
                followup_user_id=lambda i: (self.officer.id, False)[i % 2],
                followup_unit_id=self.division.id,
            )
            with freeze_time("2026-06-01 03:00:00"):
                tasks.filtered(lambda t: not t.deadline).action_accept()
                self._flush_tracking()
            for name, (job, queries) in jobs.items():
                self.env.invalidate_all()
                with (
                    self.subTest(job=name, tasks=size),
                    freeze_time(HANOI_0030.format("2026-06-12")),
                    self.assertQueryCount(queries),
                ):
                    job()
            tasks.sudo().write({"state": "cancelled"})
            self._flush_tracking()


@tagged("post_install", "-at_install")
class TestJobSettings(TestHyCommon):
    """The reminders' and digests' settings, in the Office managers' hands."""

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
