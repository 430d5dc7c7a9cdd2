from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_api import TestApiCommon
from .test_import import TestImportCommon


@tagged("post_install", "-at_install")
class TestTaskRuleMessages(TestApiCommon, TestImportCommon):
    """The same wrong values are refused in the same words by the form (the ORM's
    constraints), the integration API and the XLSX import: each rule is worded once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Issued the day the API's payload and the import's rows say.
        cls.issued = cls._directive(number="990/UBND-KT", issue_date=date(2026, 5, 4))

    def _orm_task(self, **vals):
        values = {
            "directive_id": self.issued.id,
            "name": "Rà soát thủ tục hành chính",
            "lead_unit_id": self.unit_a.id,
            "deadline": date(2026, 12, 31),
            **vals,
        }
        self.env["hy.task"].with_user(self.officer).create(values)

    def _orm_directive(self, **vals):
        values = {
            "name": "Chỉ thị",
            "number": "991/CT-UBND",
            "issue_date": date(2026, 5, 4),
            "signer": "Trần Quốc Văn",
            "authority": "province",
            "security_level": "confidential",
            **vals,
        }
        self.env["hy.directive"].with_user(self.officer).create(values)

    def _assert_same_message(self, orm, payload, field, code, row, column):
        """``orm`` (a callable), ``payload`` (sent to POST /directives) and ``row`` (of the
        import) hold the same wrong values: all three refuse them in the same words."""
        before = self._counts()
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            orm()
        response = self._api("POST", "/directives", payload, self.key_officer)
        message = self._assert_error(response, 422, code, field)["message"]
        wizard = self._import(self._xlsx([row]))
        self.assertEqual(wizard.state, "error", wizard.result_message)
        self.assertEqual(wizard.error_details, f"Row 2, column “{column}”: {message}")
        # The form names the record the message is about, before the same words.
        self.assertTrue(caught.exception.args[0].endswith(message), caught.exception.args[0])
        self.assertEqual(self._counts(), before, "nothing written")
        return message

    def _task_payload(self, level="normal", directive=None, **task):
        payload = self._payload(ref="VB-RULE", number="992/CT-UBND", level=level)
        payload["directive"].update(directive or {})
        payload["tasks"] = [dict(payload["tasks"][0], **task)]
        return payload

    def test_a_deadline_before_the_issue_date(self):
        message = self._assert_same_message(
            lambda: self._orm_task(deadline=date(2026, 1, 1)),
            self._task_payload(deadline="2026-01-01"),
            "tasks[0].deadline",
            "rejected",
            self._row(deadline=date(2026, 1, 1)),
            "Hạn hoàn thành",
        )
        self.assertIn("01/01/2026", message)
        self.assertIn("04/05/2026", message)

    def test_a_deadline_beyond_the_century(self):
        message = self._assert_same_message(
            lambda: self._orm_task(deadline=date(2100, 1, 1)),
            self._task_payload(deadline="2100-01-01"),
            "tasks[0].deadline",
            "rejected",
            self._row(deadline=date(2100, 1, 1)),
            "Hạn hoàn thành",
        )
        self.assertIn("31/12/2099", message)

    def test_a_deadline_in_days_without_its_number_of_days(self):
        payload = self._task_payload(deadline_rule="working_days")
        del payload["tasks"][0]["deadline"]
        self._assert_same_message(
            lambda: self._orm_task(deadline_rule="working_days", deadline_days=0, deadline=False),
            payload,
            "tasks[0].deadline_days",
            "rejected",
            self._row(deadline="0 ngày làm việc kể từ ngày nhận được văn bản"),
            "Hạn hoàn thành",
        )

    def test_the_lead_unit_among_the_coordinating_units(self):
        message = self._assert_same_message(
            lambda: self._orm_task(support_unit_ids=[Command.set(self.unit_a.ids)]),
            self._task_payload(support_unit_codes=[self.unit_a.code]),
            "tasks[0].support_unit_codes",
            "rejected",
            self._row(support_units=self.unit_a.code),
            "Mã đơn vị phối hợp",
        )
        # On a recorded task, the form's message names it.
        task = self._task(directive_id=self.issued.id)
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            task.with_user(self.officer).support_unit_ids = self.unit_a
        self.assertEqual(caught.exception.args[0], f"Task {task.reference}: {message}")

    def test_a_normal_task_without_content(self):
        self._assert_same_message(
            lambda: self._orm_task(name=False),
            self._task_payload(name=None),
            "tasks[0].name",
            "rejected",
            self._row(task_name=None),
            "Nội dung nhiệm vụ",
        )

    def test_content_of_a_task_of_a_classified_directive(self):
        self._assert_same_message(
            lambda: self._orm_task(directive_id=self.directive_conf.id, name="Nội dung mật"),
            self._task_payload(level="confidential", name="Nội dung mật"),
            "tasks[0].name",
            "classified_content",
            self._row(security_level="Mật", summary=None, task_name="Nội dung mật"),
            "Nội dung nhiệm vụ",
        )

    def test_summary_of_a_classified_directive(self):
        summary = "Về việc giải tỏa mặt bằng"
        self._assert_same_message(
            lambda: self._orm_directive(summary=summary),
            self._task_payload(level="confidential", directive={"summary": summary}),
            "directive.summary",
            "classified_content",
            self._row(security_level="Mật", summary=summary, task_name=None),
            "Trích yếu",
        )

    def test_a_classified_directive_named_with_other_words(self):
        name = "Chỉ thị về việc giải tỏa mặt bằng"
        message = self._assert_same_message(
            lambda: self._orm_directive(name=name),
            self._task_payload(level="confidential", directive={"name": name}),
            "directive.name",
            "rejected",
            self._row(name=name, security_level="Mật", summary=None, task_name=None),
            "Tên loại văn bản",
        )
        # Renaming a recorded one is refused in the same words.
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            self.directive_conf.with_user(self.officer).name = name
        self.assertEqual(caught.exception.args[0], message)
