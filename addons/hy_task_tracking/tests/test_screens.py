from datetime import date

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged

from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestTaskScreens(TestHyCommon):
    """What each role finds on the task screens."""

    def _buttons(self, user, view="hy_task_tracking.hy_task_view_form"):
        """Names of the header buttons ``user`` gets in the task form."""
        arch = (
            self.env["hy.task"]
            .with_user(user)
            .get_views([(self.env.ref(view).id, "form")])["views"]["form"]["arch"]
        )
        return set(etree.fromstring(arch).xpath("//header/button/@name"))

    def test_the_office_sees_the_office_actions_only(self):
        unit_actions = {
            "action_accept",
            "action_open_done_wizard",
            "action_open_return_wizard",
            "action_open_extension_wizard",
        }
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login):
                buttons = self._buttons(user)
                self.assertFalse(buttons & unit_actions)
                self.assertIn("action_open_for_unit_wizard", buttons)
                self.assertIn("action_open_transfer_wizard", buttons)
        self.assertIn("action_open_evaluate_wizard", self._buttons(self.manager))
        self.assertNotIn("action_open_evaluate_wizard", self._buttons(self.officer))

    def test_a_unit_member_sees_its_own_actions_only(self):
        buttons = self._buttons(self.user_a)
        self.assertIn("action_open_done_wizard", buttons)
        self.assertFalse(
            buttons
            & {
                "action_assign",
                "action_open_for_unit_wizard",
                "action_open_transfer_wizard",
                "action_open_evaluate_wizard",
            }
        )

    def test_the_leadership_reads_without_buttons(self):
        self.assertFalse(self._buttons(self.leader))

    def _record_for_unit(self, task, user, **values):
        action = task.with_user(user).action_open_for_unit_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_user(user).with_context(**action["context"])
        )
        for name, value in values.items():
            setattr(wizard, name, value)
        return wizard.save().action_apply()

    @freeze_time("2026-06-20 03:00:00")
    def test_the_office_records_what_an_unconnected_unit_reported(self):
        task = self._task(
            unit=self.unit_off,
            deadline=date(2026, 6, 30),
            state="assigned",
            assigned=date(2026, 6, 1),
        )
        self._record_for_unit(task, self.officer, unit_step="accept")
        self.assertEqual(task.state, "in_progress")
        self._record_for_unit(
            task,
            self.officer,
            unit_step="report_done",
            result="Đã tổ chức hội nghị triển khai",
            date_done=date(2026, 6, 19),
        )
        self.assertEqual(task.state, "done")
        self.assertEqual(task.result, "Đã tổ chức hội nghị triển khai")
        entry = task.ledger_ids.filtered(lambda e: e.change == "state" and e.new_value == "done")
        self.assertEqual(entry.user_id, self.officer)

    @freeze_time("2026-06-20 03:00:00")
    def test_nobody_records_for_a_unit_that_uses_the_software(self):
        task = self._task(unit=self.unit_a, deadline=date(2026, 6, 30), state="assigned")
        with self.assertRaises(UserError):
            self._record_for_unit(task, self.officer, unit_step="accept")
        self.assertEqual(task.state, "assigned")
        unconnected = self._task(unit=self.unit_off, deadline=date(2026, 6, 30), state="assigned")
        # A unit member may not record in the Office's place either (it cannot even write
        # another unit's task).
        with self.assertRaises(AccessError):
            self._record_for_unit(unconnected, self.user_a, unit_step="accept")
        self.assertEqual(unconnected.state, "assigned")

    @freeze_time("2026-06-20 03:00:00")
    def test_a_pending_extension_is_announced_and_decided_on_the_task(self):
        task = self._task(deadline=date(2026, 6, 30), state="in_progress")
        self.assertFalse(task.extension_pending)
        self.env["hy.task.extension"].with_user(self.user_a).create(
            {"task_id": task.id, "new_deadline": date(2026, 7, 31), "reason": "Chờ ý kiến Bộ"}
        )
        self.assertTrue(task.extension_pending)
        self.assertEqual(task.pending_extension_deadline, date(2026, 7, 31))
        self.assertEqual(task.pending_extension_requester_id, self.user_a)
        with self.assertRaises(AccessError):
            task.with_user(self.user_a).action_approve_pending_extension()
        task.with_user(self.officer).action_approve_pending_extension()
        self.assertEqual(task.deadline, date(2026, 7, 31))
        self.assertFalse(task.pending_extension_id)

    def test_nobody_asks_in_another_name(self):
        task = self._task(deadline=date(2030, 6, 30), state="in_progress")
        Extension = self.env["hy.task.extension"].with_user(self.user_a)
        values = {"task_id": task.id, "new_deadline": date(2030, 7, 31), "reason": "Chờ ý kiến Bộ"}
        with self.assertRaises(AccessError):
            Extension.create(dict(values, requested_by_id=self.officer.id))
        extension = Extension.create(values)
        self.assertEqual(extension.requested_by_id, self.user_a)

    def test_the_demo_extension_names_its_real_requester(self):
        # A test of the demo data: `make test` installs it, a database without it fails here.
        self.assertTrue(
            self.env["ir.module.module"]._get("hy_task_tracking").demo,
            "this test checks the demo data, which is not installed",
        )
        extension = self.env.ref("hy_task_tracking.hy_task_extension_requested_demo")
        self.assertEqual(extension.requested_by_id, self.env.ref("hy_task_tracking.user_stc_demo"))

    def test_progress_of_a_group_is_the_average_of_its_tasks(self):
        started = self._task(deadline=date(2030, 6, 30), state="in_progress")
        started.progress = 40
        not_started = self._task(deadline=date(2030, 6, 30), state="assigned")
        self.assertEqual(not_started.progress, 0)
        [(average,)] = self.env["hy.task"]._read_group(
            [("id", "in", (started | not_started).ids)], [], ["progress:avg"]
        )
        self.assertEqual(average, 20)

    def test_assigned_tasks_show_no_delete_icon_on_the_directive(self):
        arch = (
            self.env["hy.directive"]
            .with_user(self.officer)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        [task_list] = etree.fromstring(arch).xpath("//field[@name='task_ids']/list")
        self.assertEqual(task_list.get("delete"), "0")
