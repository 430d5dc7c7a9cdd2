import ast
from datetime import date

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged

from .common import TestHyCommon

UNIT_FIELDS = ("lead_unit_id", "support_unit_ids", "followup_unit_id", "submitting_unit_id")


@tagged("post_install", "-at_install")
@freeze_time("2026-07-01 03:00:00")
class TestDirectiveEntry(TestHyCommon):
    """A directive and all its tasks typed in one screen, then assigned in one step."""

    def _record_directive(self):
        """A directive with three tasks for three units, each deadline given its own way,
        typed by the officer in the directive form only."""
        with Form(self.env["hy.directive"].with_user(self.officer)) as form:
            form.name = "Kế hoạch"
            form.number = "214/KH-UBND"
            form.issue_date = date(2026, 6, 30)
            form.signer = "Phan Đức Long"
            form.authority = "province"
            form.followup_unit_id = self.division
            with form.task_ids.new() as line:
                line.name = "Báo cáo kết quả cải cách hành chính"
                line.kind = "report"
                line.lead_unit_id = self.unit_a
                line.support_unit_ids.add(self.unit_b)
                line.deadline_rule = "working_days"
                line.deadline_days = 10
                line.deadline_from = "received"
            with form.task_ids.new() as line:
                line.name = "Xây dựng đề án chính quyền số"
                line.kind = "scheme"
                line.lead_unit_id = self.unit_b
                line.deadline = date(2026, 9, 30)
            with form.task_ids.new() as line:
                line.name = "Rà soát thủ tục cấp huyện"
                line.lead_unit_id = self.unit_off
                line.deadline_rule = "calendar_days"
                line.deadline_days = 30
            # "Assign All" shows while the lines are still being typed.
            self.assertEqual(form.draft_task_count, 3)
        return form.record

    def test_three_tasks_typed_in_the_directive_form(self):
        directive = self._record_directive()
        report, scheme, district = directive.task_ids.sorted("sequence_in_directive")
        self.assertEqual(report.lead_unit_id, self.unit_a)
        self.assertEqual(report.support_unit_ids, self.unit_b)
        self.assertEqual(report.kind, "report")
        self.assertEqual(report.followup_unit_id, self.division)
        self.assertEqual(report.deadline_rule_text, "10 working days from receipt")
        # The server counts the deadlines: 10 working days from 1 July, 30 days from 1 July.
        self.assertEqual(report.deadline, date(2026, 7, 15))
        self.assertEqual(scheme.deadline, date(2026, 9, 30))
        self.assertEqual(district.deadline, date(2026, 7, 31))
        self.assertEqual(set(directive.task_ids.mapped("state")), {"draft"})
        self.assertEqual(directive.draft_task_count, 3)

    def test_assign_all_assigns_the_drafts_in_one_call(self):
        directive = self._record_directive()
        tasks = directive.task_ids
        # A unit user is refused, even though nothing shows them the button.
        with self.assertRaises(AccessError):
            directive.with_user(self.user_a).action_assign_tasks()
        self.assertEqual(set(tasks.mapped("state")), {"draft"})

        directive.with_user(self.officer).action_assign_tasks()
        self.assertEqual(set(tasks.mapped("state")), {"assigned"})
        self.assertEqual(set(tasks.mapped("date_assigned")), {date(2026, 7, 1)})
        report = tasks.filtered(lambda t: t.kind == "report")
        self.assertEqual(report.deadline, date(2026, 7, 15))
        self.assertEqual(report.original_deadline, date(2026, 7, 15))
        self.assertEqual(directive.draft_task_count, 0)
        # Nothing left to assign: refused in words, not silently ignored.
        with self.assertRaisesRegex(UserError, "no draft task"):
            directive.with_user(self.officer).action_assign_tasks()

    def test_assign_all_names_a_line_without_lead_unit(self):
        directive = self._record_directive()
        directive.task_ids[0].lead_unit_id = False
        with self.assertRaisesRegex(UserError, "Choose the lead unit"):
            directive.with_user(self.officer).action_assign_tasks()
        self.assertEqual(set(directive.task_ids.mapped("state")), {"draft"})

    def _arch(self, model, view, user):
        view_id = self.env.ref(view).id
        arch = self.env[model].with_user(user).get_views([(view_id, "form")])["views"]["form"]
        return etree.fromstring(arch["arch"])

    def test_the_directive_form_takes_a_whole_task_per_line(self):
        arch = self._arch("hy.directive", "hy_task_tracking.hy_directive_view_form", self.officer)
        [task_list] = arch.xpath("//field[@name='task_ids']/list")
        columns = set(task_list.xpath("./field/@name"))
        for name in (
            "name",
            "kind",
            "lead_unit_id",
            "support_unit_ids",
            "deadline_rule",
            "deadline_days",
            "deadline_from",
            "deadline",
            "progress_status",
        ):
            self.assertIn(name, columns)
        [button] = arch.xpath("//header/button[@name='action_assign_tasks']")
        self.assertTrue(button.get("confirm"))
        unit_arch = self._arch(
            "hy.directive", "hy_task_tracking.hy_directive_view_form", self.user_a
        )
        self.assertFalse(unit_arch.xpath("//header/button[@name='action_assign_tasks']"))

    def test_unit_fields_never_create_a_unit(self):
        for model, view in (
            ("hy.directive", "hy_task_tracking.hy_directive_view_form"),
            ("hy.task", "hy_task_tracking.hy_task_view_form"),
        ):
            arch = self._arch(model, view, self.officer)
            fields = [f for f in arch.iter("field") if f.get("name") in UNIT_FIELDS]
            self.assertTrue(fields)
            for field in fields:
                with self.subTest(view=view, field=field.get("name")):
                    options = ast.literal_eval(field.get("options") or "{}")
                    for option in ("no_create", "no_quick_create", "no_create_edit"):
                        self.assertIs(options.get(option), True)
