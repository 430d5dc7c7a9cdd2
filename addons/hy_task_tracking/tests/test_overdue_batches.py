"""The nightly overdue job in batches: its queries per newly overdue task, side by side with
Odoo's own activity_schedule, and a task nobody can be reminded of stopping nothing else."""

from datetime import date

from odoo.tests import freeze_time, new_test_user, tagged, warmup
from odoo.tools import mute_logger

from .jobs_common import NIGHT, NightRunCommon

# The overdue job's queries when its tasks belong to the two units A and B, whatever their
# number: statuses (two UPDATEs), the searches, the activities and their followers, the ledger
# rows, the two units' notices (three INSERTs each), the job's status.
JOB_QUERIES = 65
# What each more unit to notify adds: its notice (mail.message, mail.mail and its recipients).
UNIT_QUERIES = 3


@tagged("post_install", "-at_install", "is_query_count")
class TestOverdueJobBatches(NightRunCommon):
    """Activities, ledger rows and notices are made in batches; a batch that fails is made
    again task by task (unit by unit), so that a bad one stops nothing but itself."""

    def _late(self, count, units, **vals):
        """``count`` tasks of the normal directive whose deadline passes on the night, led by
        ``units`` in turn and followed by the officer."""
        return self._task_batch(
            count,
            deadline=date(2026, 6, 9),
            followup_user_id=self.officer.id,
            lead_unit_id=lambda i: units[i % len(units)].id,
            **vals,
        )

    def _units(self, count):
        """``count`` connected units, each with a member who reads mail."""
        units = self.env["hy.unit"]
        for index in range(count):
            member = new_test_user(
                self.env,
                f"t_batch_{index}",
                groups="hy_task_tracking.group_unit_user",
                email=f"t_batch_{index}@hungyen.example.com",
            )
            units |= units.create(
                {"name": f"Đơn vị {index}", "code": f"T-B{index}", "user_ids": member.ids}
            )
        return units

    def _odoo_queries(self, tasks):
        """The queries of Odoo's own ``record.activity_schedule(...)`` on each of ``tasks``
        (the same activity, without a mail per activity, as the job), undone afterwards."""
        savepoint = self.env.cr.savepoint()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        with freeze_time(NIGHT):
            for task in tasks.with_context(mail_activity_quick_update=True):
                task.activity_schedule(
                    "hy_task_tracking.mail_activity_type_overdue",
                    summary="Quá hạn: đôn đốc đơn vị",
                    user_id=self.officer.id,
                )
            self.env.flush_all()
        queries = self.cr.sql_log_count - start
        savepoint.close(rollback=True)
        self.env.invalidate_all()
        return queries

    def _cancel(self, tasks):
        tasks.sudo().write({"state": "cancelled"})  # sudo: the state is workflow-only; set up
        self._flush_tracking()

    @warmup
    def test_the_job_makes_as_many_queries_for_50_tasks_as_for_5(self):
        for size in (5, 50):
            tasks = self._late(size, self.unit_a | self.unit_b)
            self.env.invalidate_all()
            with (
                self.subTest(tasks=size),
                freeze_time(NIGHT),
                self.assertQueryCount(JOB_QUERIES),
            ):
                self.env["hy.task"]._cron_overdue_reminders()
            self.assertEqual(len(self._activities(tasks)), size)
            mails = self._mails_to(self.user_a) | self._mails_to(self.user_b)
            self.assertEqual(
                len(mails.filtered(lambda m, t=tasks[0]: t.reference in m.body_html)), 1
            )
            self._cancel(tasks)

    @warmup
    def test_a_task_in_a_unit_of_its_own_costs_less_than_odoos_activity_schedule(self):
        """The worst case per task: a notice for each. A task more costs its unit's notice,
        fewer queries than one activity_schedule of Odoo: the rest is read and written in
        batches, whatever the number of tasks."""
        units = self._units(6)
        # A first night for these units: what the first notice reads once (templates, ...).
        tasks = self._late(1, units[:1])
        self._night()
        self._cancel(tasks)
        job, odoo = {}, {}
        for count in (2, 6):
            tasks = self._late(count, units[:count])
            self.env.invalidate_all()
            with (
                self.subTest(units=count),
                freeze_time(NIGHT),
                self.assertQueryCount(JOB_QUERIES + UNIT_QUERIES * (count - 2)),
            ):
                start = self.cr.sql_log_count
                self.env["hy.task"]._cron_overdue_reminders()
                job[count] = self.cr.sql_log_count - start
            self.assertEqual(len(self._activities(tasks)), count)
            for task in tasks:  # one notice each, to its unit
                mails = self._mails_to(task.lead_unit_id.user_ids)
                self.assertEqual(
                    len(mails.filtered(lambda m, t=task: t.reference in m.body_html)), 1
                )
            self._cancel(tasks)
            # Odoo's own, on as many new tasks of the same units.
            tasks = self._late(count, units[:count])
            odoo[count] = self._odoo_queries(tasks)
            self._cancel(tasks)
        # A task more: fewer queries than a record's activity_schedule (about 9).
        self.assertLess(job[6] - job[2], odoo[6] - odoo[2])

    @mute_logger("odoo.addons.hy_task_tracking.models.hy_job_status")  # the failure it provokes
    def test_a_task_nobody_can_be_reminded_of_stops_nothing_else(self):
        top_secret = self._directive(
            name="Quyết định",
            number="999/QĐ-UBND",
            issue_date=date(2026, 3, 2),
            security_level="top_secret",
            summary=False,
        )
        tasks = self._late(4, self.unit_a | self.unit_b)
        # Neither its officer nor any Office manager is cleared for it: nobody to remind.
        unreachable = self._late(1, self.unit_b, directive_id=top_secret.id, name=False)
        self._night()
        self.assertEqual(len(self._activities(tasks)), 4)
        self.assertFalse(self._activities(unreachable))
        self.assertEqual(self.status.last_state, "partial")
        self.assertIn(unreachable.reference, self.status.last_failure_message)
        self.assertEqual(self.status.last_failed, 1)
        # The units are told of every late task, the unreachable one as a count.
        notices = self._mails_to(self.user_b).filtered(lambda m: tasks[1].reference in m.body_html)
        self.assertEqual(len(notices), 1)
        self.assertIn("task(s) of classified directives", notices.body_html)
        # The next night tries the bad one again, and nothing else twice.
        self._night(f"{NIGHT[:10]} 18:30:00")
        self.assertEqual(len(self._activities(tasks)), 4)
        self.assertEqual(self.status.last_failed, 1)
        self.assertEqual(
            len(self._mails_to(self.user_b).filtered(lambda m: tasks[1].reference in m.body_html)),
            1,
        )
