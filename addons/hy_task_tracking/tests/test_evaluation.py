from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestEvaluation(TestHyCommon):
    """The Office evaluates quality and effectiveness (Art. 7.1.g), of open tasks too."""

    def _wizard(self, task, user, **vals):
        return (
            self.env["hy.task.workflow.wizard"]
            .with_user(user)
            .create({"task_id": task.id, "step": "evaluate", **vals})
        )

    def test_open_task_is_evaluated_without_being_confirmed(self):
        task = self._assigned(date(2026, 6, 30), state="in_progress")
        with freeze_time("2026-06-20 03:00:00"):
            self._wizard(
                task, self.manager, quality="satisfactory", effectiveness="limited"
            ).action_apply()
        self.assertEqual(task.quality, "satisfactory")
        self.assertEqual(task.effectiveness, "limited")
        self.assertEqual(task.evaluation_date, date(2026, 6, 20))
        self.assertEqual(task.evaluated_by_id, self.manager)
        self.assertFalse(task.confirmed)
        self.assertEqual(task.state, "in_progress")
        changes = task.ledger_ids.mapped("change")
        self.assertIn("quality", changes)
        self.assertIn("effectiveness", changes)

    def test_reported_result_is_evaluated_and_confirmed_with_effectiveness(self):
        task = self._assigned(date(2026, 6, 30), state="in_progress")
        with freeze_time("2026-06-20 03:00:00"):
            task.with_user(self.user_a)._unit_report_done("Đã hoàn thành", date(2026, 6, 19))
            self._wizard(task, self.manager, quality="good", effectiveness="high").action_apply()
        self.assertTrue(task.confirmed)
        self.assertEqual((task.quality, task.effectiveness), ("good", "high"))

    def test_only_managers_evaluate_and_both_marks_are_needed(self):
        task = self._assigned(date(2026, 6, 30), state="in_progress")
        with self.assertRaises(UserError):
            task.with_user(self.manager)._evaluate("good", False)
        for user in (self.officer, self.user_a):
            with self.assertRaises(AccessError):
                task.with_user(user)._evaluate("good", "effective")
        # Nor by a plain write through RPC: the evaluation is the workflow's field.
        with self.assertRaises(AccessError):
            task.with_user(self.officer).write({"effectiveness": "high"})
        self.assertFalse(task.quality)
        self.assertFalse(task.effectiveness)

    def test_send_back_drops_the_evaluation_of_the_result(self):
        task = self._assigned(date(2026, 6, 30), state="in_progress")
        with freeze_time("2026-06-20 03:00:00"):
            task.with_user(self.user_a)._unit_report_done("Đã hoàn thành", date(2026, 6, 19))
            task.with_user(self.manager)._evaluate_and_confirm("good", None, "effective")
            task.with_user(self.manager)._send_back("Chưa đạt yêu cầu")
        self.assertFalse(task.effectiveness)
        self.assertFalse(task.quality)
