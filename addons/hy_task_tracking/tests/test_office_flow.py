from datetime import date

from odoo.tests import Form, freeze_time, tagged

from .common import TestHyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-07-01 03:00:00")
class TestOfficeFlow(TestHyCommon):
    """What the Office does every day, through the same forms as in the backend."""

    def test_directive_with_three_tasks_for_two_units_to_confirmation(self):
        with Form(self.env["hy.directive"].with_user(self.officer)) as form:
            form.name = "Kế hoạch"
            form.number = "188/KH-UBND"
            form.issue_date = date(2026, 6, 25)
            form.signer = "Phan Đức Long"
            form.authority = "province"
            form.summary = "Triển khai chuyển đổi số năm 2026"
            form.followup_unit_id = self.division
            for content, unit, deadline in (
                ("Xây dựng kế hoạch chuyển đổi số của Sở", self.unit_a, date(2026, 8, 31)),
                ("Rà soát hạ tầng công nghệ thông tin", self.unit_a, date(2026, 9, 30)),
                ("Bố trí kinh phí chuyển đổi số", self.unit_b, False),
            ):
                with form.task_ids.new() as line:
                    line.name = content
                    line.lead_unit_id = unit
                    line.deadline = deadline
        directive = form.record
        tasks = directive.task_ids
        self.assertEqual(len(tasks), 3)
        self.assertEqual(set(tasks.mapped("followup_unit_id")), {self.division})
        self.assertEqual(set(tasks.mapped("state")), {"draft"})

        tasks.with_user(self.officer).action_assign()
        self.assertEqual(set(tasks.mapped("status_category")), {"not_started_on_time"})
        # The kanban's columns and the calendar read these groups and dates.
        groups = dict(
            self.env["hy.task"]
            .with_user(self.officer)
            ._read_group([("directive_id", "=", directive.id)], ["status_category"], ["__count"])
        )
        self.assertEqual(groups, {"not_started_on_time": 3})
        self.assertEqual(directive.task_count, 3)

        first = tasks[0]
        first.with_user(self.user_a).action_accept()
        first.with_user(self.user_a)._report_done(
            "Đã ban hành Kế hoạch 12/KH-SNV", date(2026, 7, 1)
        )
        first.with_user(self.manager)._evaluate_and_confirm("excellent", "Đúng tiến độ")
        self.assertTrue(first.confirmed)
        self.assertEqual(first.status_category, "done_on_time")
        self.assertEqual(directive.task_done_count, 1)
        # Unit B sees only its own task of the directive.
        self.env.invalidate_all()
        self.assertEqual(
            self.env["hy.task"]
            .with_user(self.user_b)
            .search([("directive_id", "=", directive.id)]),
            tasks[2],
        )
