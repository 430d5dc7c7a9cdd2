import base64
import io
from datetime import date
from unittest.mock import patch

import openpyxl

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..wizard.hy_directive_import import COLUMNS, SHEET_LISTS, SHEET_TASKS
from .common import TestHyCommon

KEYS = [key for key, *_rest in COLUMNS]


class TestImportCommon(TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["hy.directive.import"].with_user(cls.officer)._template_xlsx()

    def _row(self, **values):
        row = {
            "number": "25/CT-UBND",
            "name": "Chỉ thị",
            "issue_date": date(2026, 5, 4),
            "signer": "Trần Quốc Văn",
            "authority": "Chủ tịch UBND tỉnh",
            "security_level": "Thường",
            "summary": "Về việc tăng cường kỷ luật, kỷ cương hành chính",
            "followup_unit": self.division.code,
            "task_name": "Rà soát quy trình nội bộ",
            "kind": "Xây dựng, trình báo cáo",
            "lead_unit": self.unit_a.code,
            "support_units": "",
            "deadline": date(2026, 12, 31),
        }
        row.update(values)
        return row

    def _xlsx(self, rows, template=None):
        """The module's template filled with ``rows`` ({column key: value})."""
        book = openpyxl.load_workbook(io.BytesIO(template or self.template))
        sheet = book[SHEET_TASKS]
        for number, row in enumerate(rows, start=2):
            for key, value in row.items():
                sheet.cell(row=number, column=KEYS.index(key) + 1, value=value)
        output = io.BytesIO()
        book.save(output)
        return output.getvalue()

    def _import(self, data, user=None, **options):
        wizard = (
            self.env["hy.directive.import"]
            .with_user(user or self.officer)
            .create({"file": base64.b64encode(data), "filename": "nhap.xlsx", **options})
        )
        wizard.action_import()
        return wizard

    def _counts(self):
        env = self.env(su=True, context={"active_test": False})
        return env["hy.directive"].search_count([]), env["hy.task"].search_count([])

    def _clean_rows(self):
        return [
            self._row(support_units=f"{self.unit_b.code}, {self.unit_off.code}"),
            self._row(
                task_name="Báo cáo kết quả thực hiện",
                lead_unit=self.unit_b.code,
                kind="report",
                deadline="30/11/2026",
            ),
            # two tasks of a classified directive, told apart by nothing but their row
            *[
                self._row(
                    number="26/QĐ-UBND",
                    name="Quyết định",
                    authority="province",
                    security_level="Mật",
                    summary=None,
                    task_name=None,
                    issue_date="2026-06-01",
                    deadline=None,
                )
            ]
            * 2,
        ]


@tagged("post_install", "-at_install")
class TestDirectiveImport(TestImportCommon):
    def test_template_download(self):
        wizard = self.env["hy.directive.import"].with_user(self.officer).create({})
        action = wizard.action_download_template()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/web/content/hy.directive.import/{wizard.id}/template_file/", action["url"])
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.template_file)))
        self.assertEqual(book.sheetnames[:2], [SHEET_TASKS, SHEET_LISTS])
        headers = [cell.value for cell in book[SHEET_TASKS][1]]
        self.assertEqual(headers[0], "Số, ký hiệu văn bản (*)")
        self.assertIn("Hạn hoàn thành", headers)
        codes = {row[3] for row in book[SHEET_LISTS].iter_rows(min_row=2, values_only=True)}
        self.assertLessEqual({self.unit_a.code, self.unit_b.code, self.division.code}, codes)

    def test_clean_file_imports_every_row(self):
        directives, tasks = self._counts()
        wizard = self._import(self._xlsx(self._clean_rows()), assign_tasks=True)
        self.assertEqual(wizard.state, "done", wizard.error_details)
        self.assertFalse(wizard.error_details)
        self.assertEqual(self._counts(), (directives + 2, tasks + 4))
        normal = self.env["hy.directive"].search([("number", "=", "25/CT-UBND")])
        self.assertEqual(normal.authority, "province_chairman")
        self.assertEqual(normal.followup_unit_id, self.division)
        first, second = normal.task_ids.sorted("sequence_in_directive")
        self.assertEqual(first.support_unit_ids, self.unit_b | self.unit_off)
        self.assertEqual((first.kind, first.deadline), ("report", date(2026, 12, 31)))
        self.assertEqual((second.lead_unit_id, second.deadline), (self.unit_b, date(2026, 11, 30)))
        self.assertEqual(set(normal.task_ids.mapped("state")), {"assigned"})
        secret = self.env["hy.directive"].search([("number", "=", "26/QĐ-UBND")])
        self.assertEqual((secret.security_level, secret.summary), ("confidential", False))
        self.assertEqual(len(secret.task_ids), 2)
        self.assertFalse(any(secret.task_ids.mapped("name")))

    def test_mixed_errors_import_nothing_and_name_each_row(self):
        rows = self._clean_rows() + [
            self._row(number="27/CT-UBND", lead_unit="KHONG-CO"),
            self._row(number="27/CT-UBND", deadline="31/02/2027"),
            self._row(number="28/QĐ-UBND", security_level="Tối mật", summary="Nội dung mật"),
            self._row(number=None),
            self._row(number="29/CT-UBND", deadline=date(2026, 1, 1)),
            self._row(number="30/CT-UBND", lead_unit=self.division.code),
            self._row(number="31/CT-UBND", authority="Bộ Nội vụ"),
            self._row(signer="Người khác"),
        ]
        before = self._counts()
        wizard = self._import(self._xlsx(rows))
        self.assertEqual(wizard.state, "error")
        self.assertEqual(self._counts(), before, "nothing imported")
        self.assertIn("8 rows hold errors", wizard.result_message)
        details = wizard.error_details.splitlines()
        expected = [
            ("Row 6,", "Mã đơn vị chủ trì", "Unknown unit code “KHONG-CO”"),
            ("Row 7,", "Hạn hoàn thành", "Not a date"),
            ("Row 8,", "Trích yếu", "classified"),
            ("Row 8,", "Nội dung nhiệm vụ", "classified"),
            ("Row 9,", "Số, ký hiệu văn bản", "required"),
            ("Row 10,", "Hạn hoàn thành", "before the issue date"),
            ("Row 11,", "Mã đơn vị chủ trì", "division of the Office"),
            ("Row 12,", "Cơ quan giao nhiệm vụ", "Unknown value “Bộ Nội vụ”"),
            ("Row 13:", "Người ký", "differ from row 2"),
        ]
        for row, column, words in expected:
            self.assertTrue(
                any(line.startswith(row) and column in line and words in line for line in details),
                f"{row} {column} {words} not in {details}",
            )

        # on request, the valid rows go in and the wrong ones are listed
        wizard = self._import(self._xlsx(rows), import_valid_rows=True)
        self.assertEqual(wizard.state, "done")
        self.assertIn("8 rows with errors", wizard.result_message)
        self.assertIn("Row 6,", wizard.error_details)
        self.assertEqual(self._counts(), (before[0] + 2, before[1] + 4))

    def test_reimport_creates_no_duplicate(self):
        data = self._xlsx(self._clean_rows())
        self.assertEqual(self._import(data).state, "done")
        after_first = self._counts()
        wizard = self._import(data)
        self.assertEqual(wizard.state, "done")
        self.assertEqual(self._counts(), after_first)
        self.assertIn(
            "0 new directives and 0 new tasks; 4 tasks already recorded", wizard.result_message
        )
        # one more row (a third identical classified task): only it is added
        rows = self._clean_rows() + [self._clean_rows()[-1]]
        wizard = self._import(self._xlsx(rows))
        self.assertEqual(self._counts(), (after_first[0], after_first[1] + 1))
        self.assertIn("0 new directives and 1 new tasks", wizard.result_message)

    def test_directive_already_recorded_with_another_level(self):
        self._import(self._xlsx(self._clean_rows()[:1]))
        before = self._counts()
        wizard = self._import(
            self._xlsx([self._row(security_level="Mật", summary=None, task_name=None)])
        )
        self.assertEqual(wizard.state, "error")
        self.assertIn("another security level", wizard.error_details)
        self.assertEqual(self._counts(), before)

    def test_directive_above_the_users_clearance(self):
        self.env["hy.directive"].create(
            {
                "name": "Quyết định",
                "number": "40/QĐ-UBND",
                "issue_date": date(2026, 6, 1),
                "signer": "Trần Quốc Văn",
                "authority": "province",
                "security_level": "secret",
            }
        )
        before = self._counts()
        row = self._row(
            number="40/QĐ-UBND",
            authority="UBND tỉnh",
            security_level="Tối mật",
            issue_date=fields.Datetime.to_datetime("2026-06-01 00:00:00"),
            summary=None,
            task_name=None,
        )
        wizard = self._import(self._xlsx([row]), user=self.officer_uncleared)
        self.assertEqual(wizard.state, "error")
        # The same answer as for any number already recorded: nothing more is said.
        self.assertIn("of this authority and year is already recorded", wizard.error_details)
        self.assertNotIn("not allowed", wizard.error_details)
        self.assertEqual(self._counts(), before)

    def test_files_that_cannot_be_read(self):
        book = openpyxl.Workbook()
        book.active.append(["Số, ký hiệu văn bản", "Ngày ban hành"])
        output = io.BytesIO()
        book.save(output)
        for data, message in (
            ("Số, ký hiệu;Ngày\n1;2\n".encode(), "not an XLSX workbook"),
            (self._xlsx([]), "holds no task"),
            (output.getvalue(), "no column “Tên loại văn bản”"),
        ):
            with self.subTest(message=message):
                wizard = self._import(data)
                self.assertEqual(wizard.state, "error")
                self.assertIn(message, wizard.result_message)
                self.assertFalse(wizard.file, "the uploaded file is not kept")
        with self.assertRaisesRegex(UserError, "choose the file"):
            self.env["hy.directive.import"].with_user(self.officer).create({}).action_import()


@tagged("post_install", "-at_install")
class TestImportKeepsNoFile(TestImportCommon):
    """The uploaded file is removed whatever the outcome."""

    def _stored_file(self, wizard):
        self.env.flush_all()
        self.env.cr.execute("SELECT file FROM hy_directive_import WHERE id = %s", [wizard.id])
        return self.env.cr.fetchone()[0]

    def test_after_a_successful_import(self):
        wizard = self._import(self._xlsx(self._clean_rows()))
        self.assertEqual(wizard.state, "done")
        self.assertIsNone(self._stored_file(wizard))

    def test_after_rows_with_errors(self):
        wizard = self._import(self._xlsx([self._row(lead_unit="KHONG-CO")]))
        self.assertEqual(wizard.state, "error")
        self.assertIsNone(self._stored_file(wizard))

    def test_after_an_unexpected_error_nothing_is_half_written(self):
        before = self._counts()
        Wizard = type(self.env["hy.directive.import"])
        import_plan = Wizard._import_plan

        def crash_midway(wizard, plan):
            import_plan(wizard, plan)  # directives and tasks written, then the server fails
            raise RuntimeError("the database connection was lost")

        with (
            patch.object(Wizard, "_import_plan", crash_midway),
            mute_logger("odoo.addons.hy_task_tracking.wizard.hy_directive_import"),
        ):
            wizard = self._import(self._xlsx(self._clean_rows()))
        self.assertEqual(wizard.state, "error")
        self.assertIn("nothing was written", wizard.result_message)
        self.assertEqual(self._counts(), before)
        self.assertIsNone(self._stored_file(wizard))


@tagged("post_install", "-at_install")
class TestImportDeadlineInDays(TestImportCommon):
    def test_a_deadline_written_in_days_becomes_a_rule(self):
        rows = [
            self._row(deadline="10 ngày làm việc kể từ ngày nhận được văn bản"),
            self._row(task_name="Tổng kết, đánh giá", deadline="30 ngày kể từ ngày giao"),
            self._row(task_name="Báo cáo nhanh", deadline="ba mươi ngày"),
        ]
        wizard = self._import(self._xlsx(rows), import_valid_rows=True)
        self.assertEqual(wizard.state, "done", wizard.error_details)
        self.assertIn("Row 4, column “Hạn hoàn thành”: Not a date", wizard.error_details)
        tasks = self.env["hy.task"].search([("directive_id.number", "=", "25/CT-UBND")])
        by_name = {task.name: task for task in tasks}
        first = by_name["Rà soát quy trình nội bộ"]
        self.assertEqual(
            (first.deadline_rule, first.deadline_days, first.deadline_from),
            ("working_days", 10, "received"),
        )
        self.assertTrue(first.deadline)
        second = by_name["Tổng kết, đánh giá"]
        self.assertEqual(
            (second.deadline_rule, second.deadline_days, second.deadline_from),
            ("calendar_days", 30, "assigned"),
        )
