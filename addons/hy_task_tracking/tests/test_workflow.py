from datetime import date
from functools import partial

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common import TestHyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-10 03:00:00")
class TestTaskWorkflow(TestHyCommon):
    def _step(self, task, user, step, **vals):
        wizard = Form(
            self.env["hy.task.workflow.wizard"]
            .with_user(user)
            .with_context(default_task_id=task.id, default_step=step)
        )
        for name, value in vals.items():
            setattr(wizard, name, value)
        return wizard.save().action_apply()

    def _tracked_states(self, task):
        self._flush_tracking()
        task.invalidate_recordset(["message_ids"])
        values = task.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        return sorted(values.mapped("new_value_char"))

    def test_full_cycle_to_confirmation_is_tracked(self):
        task = self._task()
        # Odoo does not track changes to a record in the transaction that created it.
        self._flush_tracking()
        self.assertTrue(task.reference.startswith("NV-2026-"))
        task.with_user(self.officer).action_assign()
        self._flush_tracking()  # each step is its own request, hence its own tracking
        self.assertEqual(task.state, "assigned")
        self.assertEqual(task.date_assigned, date(2026, 6, 10))
        self.assertIn(self.user_a.partner_id, task.message_partner_ids)
        task.with_user(self.user_a).action_accept()
        self._flush_tracking()
        self._step(
            task, self.user_a, "report_done", result="Đã trình Đề án", date_done=date(2026, 6, 10)
        )
        self.assertEqual((task.state, task.progress), ("done", 100))
        self._step(
            task,
            self.manager,
            "evaluate",
            quality="good",
            effectiveness="effective",
            reason="Đạt yêu cầu",
        )
        self.assertTrue(task.confirmed)
        self.assertEqual(task.confirmed_by_id, self.manager)
        self.assertEqual(task.status_category, "done_on_time")
        self.assertEqual(
            self._tracked_states(task), sorted(["Assigned", "In Progress", "Reported Done"])
        )

    def test_return_needs_a_reason_and_writes_nothing_without_one(self):
        task = self._task(state="assigned")
        with self.assertRaises(UserError):
            task.with_user(self.user_a)._return_to_office("   ")
        self.assertEqual(task.state, "assigned")
        self._step(task, self.user_a, "return", reason="Không thuộc chức năng, nhiệm vụ của Sở")
        self.assertEqual(task.state, "returned")
        self.assertEqual(task.return_reason, "Không thuộc chức năng, nhiệm vụ của Sở")

    def test_transfer_keeps_history_and_refuses_the_same_unit(self):
        task = self._task(state="assigned")
        task.with_user(self.user_a)._return_to_office("Thuộc thẩm quyền Sở Tài chính")
        with self.assertRaises(UserError):
            self._step(task, self.officer, "transfer", unit_id=self.unit_a)
        self.assertEqual(task.lead_unit_id, self.unit_a)
        self._step(task, self.officer, "transfer", unit_id=self.unit_b, reason="Theo đề nghị")
        self.assertEqual((task.state, task.lead_unit_id), ("assigned", self.unit_b))
        self.assertEqual(task.transfer_ids.from_unit_id, self.unit_a)
        self.assertEqual(task.transfer_ids.to_unit_id, self.unit_b)
        # The previous unit no longer sees the task.
        task.invalidate_recordset()
        self.assertFalse(self.env["hy.task"].with_user(self.user_a).search([("id", "=", task.id)]))

    def test_unit_cannot_transfer_or_confirm(self):
        task = self._task(state="in_progress")
        with self.assertRaises(AccessError):
            task.with_user(self.user_a)._transfer_to_unit(self.unit_b, "")
        task.with_user(self.user_a)._report_done("Xong", date(2026, 6, 10))
        with self.assertRaises(AccessError):
            task.with_user(self.user_a)._evaluate_and_confirm("excellent")
        with self.assertRaises(AccessError):
            task.with_user(self.officer)._evaluate_and_confirm("excellent")
        self.assertFalse(task.confirmed)

    def test_confirming_a_task_not_reported_done_is_refused(self):
        task = self._task(state="in_progress")
        with self.assertRaises(UserError):
            task.with_user(self.manager)._evaluate_and_confirm("good")
        self.assertFalse(task.confirmed)

    def test_send_back_reopens_the_task(self):
        task = self._task(state="in_progress")
        task._report_done("Xong", date(2026, 6, 10))
        with self.assertRaises(UserError):
            task.with_user(self.officer)._send_back("")
        self._step(task, self.officer, "send_back", reason="Thiếu báo cáo đánh giá tác động")
        self.assertEqual(task.state, "in_progress")
        self.assertFalse(task.date_done)

    def test_date_done_in_the_future_is_refused(self):
        task = self._task(state="in_progress")
        with self.assertRaises(ValidationError):
            task.with_user(self.user_a)._report_done("Xong", date(2026, 6, 11))
        self.assertEqual(task.state, "in_progress")

    def test_deadline_before_issue_date_is_refused(self):
        with self.assertRaises(ValidationError):
            self._task(deadline=date(2026, 3, 1))

    def test_unit_cannot_forge_state_or_fields_over_rpc(self):
        task = self._task(state="assigned")
        with self.assertRaises(UserError):
            task.with_user(self.user_a).write({"state": "done"})
        with self.assertRaises(AccessError):
            task.with_user(self.user_a).write({"deadline": date(2027, 1, 1)})
        with self.assertRaises(AccessError):
            task.with_user(self.user_a).write({"confirmed": True})
        self.assertEqual(task.state, "assigned")

    def test_extension_request_and_refusal(self):
        task = self._task(deadline=date(2026, 6, 20), state="in_progress")
        reason = "Chờ số liệu của Tổng cục Thống kê"
        ask = partial(self._step, task, self.user_a, "request_extension", reason=reason)
        with self.assertRaises(ValidationError):  # before the current deadline
            ask(new_deadline=date(2026, 6, 19))
        ask(new_deadline=date(2026, 7, 20))
        self.assertTrue(task.extension_pending)
        extension = task.extension_ids
        with self.assertRaises(AccessError):
            extension.with_user(self.user_a).action_approve()
        extension.with_user(self.officer).action_refuse("Không có căn cứ")
        self.assertEqual(extension.state, "refused")
        self.assertEqual(task.deadline, date(2026, 6, 20))
        with self.assertRaises(UserError):
            extension.with_user(self.officer).action_approve()

    def test_office_records_results_for_a_unit_not_connected(self):
        task = self._task(unit=self.unit_off, state="assigned", assigned=date(2026, 6, 1))
        self._step(
            task,
            self.officer,
            "report_done",
            result="Văn phòng cập nhật thay huyện",
            date_done=date(2026, 6, 8),
        )
        self.assertEqual(task.status_category, "done_on_time")

    def test_assigned_tasks_and_directives_are_archived_not_deleted(self):
        task = self._task(state="assigned")
        with self.assertRaises(UserError):
            task.with_user(self.officer).unlink()
        with self.assertRaises(UserError):
            self.directive.with_user(self.officer).unlink()
        self.directive.with_user(self.officer).action_archive()
        self.assertFalse(task.active)
        draft = self._task()
        draft.with_user(self.officer).unlink()
        self.assertFalse(draft.exists())

    def test_duplicate_directive_number_is_refused(self):
        with (
            self.assertRaises(IntegrityError) as error,
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["hy.directive"].create(
                {
                    "name": "Chỉ thị",
                    "number": "905/CT-UBND",
                    "issue_date": date(2026, 8, 1),
                    "signer": "Trần Quốc Văn",
                    "authority": "province_chairman",
                }
            ).flush_recordset()
        # What the user reads, as the RPC layer turns the database error into a message.
        self.assertIn(
            "A directive with this number of this authority and year is already recorded",
            str(_as_validation_error(self.env, error.exception)),
        )
        # The same number from another year is another document.
        self.env["hy.directive"].create(
            {
                "name": "Chỉ thị",
                "number": "905/CT-UBND",
                "issue_date": date(2025, 8, 1),
                "signer": "Trần Quốc Văn",
                "authority": "province_chairman",
            }
        )

    def test_classified_directive_refuses_summary_and_task_content(self):
        with self.assertRaises(ValidationError):
            self.directive_conf.sudo().write({"summary": "Nội dung mật"})
        with self.assertRaises(ValidationError):
            self.env["hy.task"].sudo().create(
                {
                    "directive_id": self.directive_conf.id,
                    "name": "Nội dung mật",
                    "lead_unit_id": self.unit_a.id,
                }
            )
        task = self.env["hy.task"].create(
            {
                "directive_id": self.directive_conf.id,
                "lead_unit_id": self.unit_a.id,
                "deadline": date(2026, 9, 30),
            }
        )
        self.assertIn("1", task.display_name)
        with self.assertRaises(ValidationError):
            self.directive.write({"security_level": "secret"})
