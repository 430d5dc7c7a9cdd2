import io
from datetime import date

import openpyxl
import xlsxwriter

from odoo.tests import HttpCase, freeze_time, tagged, warmup

from ..models.report_figures import CATEGORY_ORDER
from ..report.hy_report_period_xlsx import TASK_KINDS
from .common import TODAY, TestHyReportCommon
from .test_performance import SHAPES

# Queries of the XLSX, for the Office and for a unit's user, whatever the number of tasks.
XLSX_QUERIES = 13

HEADER_ROW = 6  # 1-based row of the column titles on sheet 1


@tagged("post_install", "-at_install")
class TestReportXlsx(TestHyReportCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.period = cls._period(unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)])
            cls.period.action_compute()
            cls.period.action_approve()
        cls.period._render_files()  # the files job, run now

    def _open(self, content, data_only=False):
        return openpyxl.load_workbook(io.BytesIO(content), data_only=data_only)

    def _columns(self, sheet):
        return {cell.value: cell.column for cell in sheet[HEADER_ROW] if cell.value}

    def test_figures_formulas_and_layout(self):
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(self.period)
        book, values = self._open(content), self._open(content, data_only=True)
        sheet, cached = book.worksheets[0], values.worksheets[0]
        columns = self._columns(sheet)
        self.assertEqual(sheet.freeze_panes, f"C{HEADER_ROW + 1}")
        self.assertTrue(sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}"))
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(sheet.page_setup.fitToHeight, 0)  # as many pages as needed, 1 wide
        rows = {sheet.cell(row, 2).value: row for row in range(HEADER_ROW + 1, HEADER_ROW + 3)}
        env = self.env(context=dict(self.env.context, lang=self.period._report_lang()))
        fields = env["hy.report.line"]._fields
        label = {name: fields[name].get_description(env)["string"] for name in fields}
        self.assertEqual(self.period.line_ids.unit_id, self.unit_a | self.unit_b)
        for line in self.period.line_ids:
            row = rows[line.unit_id.name]
            for name in ("assigned_count", *(f"{key}_count" for key in CATEGORY_ORDER)):
                self.assertEqual(sheet.cell(row, columns[label[name]]).value, line[name])
            for name in ("on_time_rate", "score", "rank", "done_count", "overdue_count"):
                cell = sheet.cell(row, columns[label[name]])
                self.assertTrue(str(cell.value).startswith("="), name)
                rated = line.done_count - line.done_no_deadline_count
                expected = line[name] if name != "on_time_rate" or rated else ""
                self.assertAlmostEqual(
                    cached.cell(row, columns[label[name]]).value or 0, expected or 0, 2
                )
        total_row = HEADER_ROW + 3
        assigned = columns[label["assigned_count"]]
        letter = sheet.cell(1, assigned).column_letter
        self.assertEqual(sheet.cell(total_row, 2).value, env._("Total"))
        self.assertEqual(
            sheet.cell(total_row, assigned).value,
            f"=SUM({letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + 2})",
        )
        self.assertEqual(cached.cell(total_row, assigned).value, self.period.assigned_count)
        rate = sheet.cell(total_row, columns[label["on_time_rate"]]).value
        self.assertIn("ROUND(", rate)
        # The score refers to the weights at the top of the sheet.
        self.assertIn("$B$4", sheet.cell(HEADER_ROW + 1, columns[label["score"]]).value)
        self.assertEqual(sheet["B4"].value, self.period.weight_completion)
        self.assertEqual(sheet["D4"].value, self.period.weight_quality)
        self.assertEqual(sheet["F4"].value, self.period.late_credit)

    def test_tasks_sheet_lists_normal_tasks_only(self):
        content = self.env["report.hy_task_reports.period_xlsx"]._generate(self.period)
        sheet = self._open(content).worksheets[1]
        references = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
        counted = self._tasks_of(self.period, "assigned_count")
        self.assertEqual(references, set((counted - self.t["b_classified"]).mapped("reference")))
        self.assertNotIn(self.t["b_classified"].reference, references)
        text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
        self.assertNotIn(self.directive_conf.number, text)
        self.assertIn(": 1", text)  # the classified task, as a count
        self.assertEqual(sheet.freeze_panes, "C2")

    def test_download_as_the_current_user(self):
        url = f"/hy_task_reports/period/{self.period.id}/xlsx"
        # A task of unit A moves to unit B after approval: it stays in A's frozen figures.
        moved = self.t["in_progress_overdue"]
        moved._transfer_to_unit(self.unit_b, "Điều chỉnh sau kỳ báo cáo")
        self.authenticate("r_user_a", "r_user_a")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        sheet = self._open(response.content).worksheets[0]
        units = {sheet.cell(row, 2).value for row in range(HEADER_ROW + 1, sheet.max_row + 1)}
        self.assertIn(self.unit_a.name, units)
        self.assertNotIn(self.unit_b.name, units)
        tasks = self._open(response.content).worksheets[1]
        self.assertIn(moved.reference, {row[1] for row in tasks.iter_rows(values_only=True)})
        draft = self._period(kind="annual")
        self.assertEqual(self.url_open(f"/hy_task_reports/period/{draft.id}/xlsx").status_code, 404)
        self.authenticate(None, None)
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        action = self.period.action_export_xlsx()
        self.assertEqual(action["url"], url)
        # A plain link in the same tab: no popup blocker stops the download.
        self.assertEqual(action["target"], "self")


@tagged("post_install", "-at_install", "is_query_count")
class TestReportXlsxQueries(TestHyReportCommon):
    """The XLSX reads its tasks in a fixed number of queries, whatever their number, and
    writes them as xlsxwriter would, cell by cell."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.small, cls.small_user = cls._approved_period("S", 10)
            cls.large, cls.large_user = cls._approved_period("L", 300)

    @classmethod
    def _approved_period(cls, code, count):
        """An approved annual period of two units and ``count`` tasks, and a user of the
        first unit."""
        units = cls.env["hy.unit"].create(
            [{"name": f"Đơn vị {code}{i}", "code": f"X-{code}{i}"} for i in range(2)]
        )
        cls.env["hy.task"].create(
            [
                {
                    "directive_id": cls.directive.id,
                    "name": f"Nhiệm vụ thử số {index}",
                    "lead_unit_id": units[index % 2].id,
                    "state": SHAPES[index % 6][0],
                    "date_assigned": SHAPES[index % 6][1],
                    "deadline": SHAPES[index % 6][2],
                    "date_done": SHAPES[index % 6][3],
                }
                for index in range(count)
            ]
        )
        period = cls._period(kind="annual", unit_ids=units.ids)
        period.action_compute()
        period.action_approve()
        user = cls._user(
            f"x_user_{code.lower()}", groups="hy_task_tracking.group_unit_user", name=code
        )
        units[0].user_ids = user
        return period, user

    def _tasks_listed(self, content):
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[1]
        return [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]

    @warmup
    def test_queries_do_not_depend_on_the_number_of_tasks(self):
        # The period and its lines, their units, the tasks (one query), their units' order
        # and directives, the classified count and its print log: as many for 300 tasks as
        # for 10, for the Office and for a unit (whose record rules keep its own tasks).
        cases = ((self.small, self.small_user, 10), (self.large, self.large_user, 300))
        for period, user, count in cases:
            for who in (self.officer, user):
                with self.subTest(tasks=count, user=who.login), freeze_time(TODAY):
                    report = self.env["report.hy_task_reports.period_xlsx"].with_user(who)
                    self.env.invalidate_all()
                    with self.assertQueryCount(XLSX_QUERIES):
                        content = report._generate(period.with_user(who))
                    listed = self._tasks_listed(content)
                    self.assertEqual(len(listed), count if who == self.officer else count // 2)

    def test_rows_written_as_xlsxwriter_writes_them(self):
        """The rows written straight into the sheet read back as xlsxwriter's own cells."""
        texts = [
            "=1+1",
            "a & <b> > c",
            " leading and trailing ",
            "tab\there\nand a new line",
            "control\x01char",
            "_x0041_ stays as typed",
            "http://example.com",
            "Nhiệm vụ số 1: rà soát, đánh giá",
            "x" * 40000,
        ]
        rows = [
            [
                text,
                "",
                None,
                "Tiếng Việt",
                date(2026, 3, 1),
                None,
                date(1999, 12, 31),
                "",
                0,
                None,
                *["Có"] * 6,
                17,
                None,
                3,
                date(2026, 6, 30),
            ]
            for text in texts
        ]
        report = self.env["report.hy_task_reports.period_xlsx"]
        read = []
        for write in (report._write_rows, report._write_rows_by_cell):
            output = io.BytesIO()
            workbook = xlsxwriter.Workbook(
                output,
                {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
            )
            formats = report._formats(workbook)
            sheet = workbook.add_worksheet("Tasks")
            sheet.write_string(0, 0, "Header", formats["header"])
            last = write(sheet, 1, TASK_KINDS, formats, rows)
            sheet.write_string(last + 2, 0, "After", formats["label"])
            workbook.close()
            content = output.getvalue()
            sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
            read.append(
                [
                    (cell.coordinate, cell.value, cell.number_format, cell.border.left.style)
                    for row in sheet.iter_rows()
                    for cell in row
                ]
            )
            self.assertEqual(last, len(rows))
            self.assertEqual(sheet.max_row, len(rows) + 3)
        raw, by_cell = read
        self.assertEqual(raw, by_cell)
        cells = {coordinate: value for coordinate, value, _format, _border in raw}
        self.assertEqual(cells["A2"], "=1+1")
        self.assertEqual(cells["A4"], " leading and trailing ")
        self.assertEqual(len(cells["A10"]), 32767)
        self.assertEqual(cells["I2"], 0)
        self.assertIsNone(cells["J2"])
