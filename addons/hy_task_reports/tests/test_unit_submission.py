import base64
import re
from datetime import date

from markupsafe import escape

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged

from ..models.hy_report_unit_submission import MAX_FILE_SIZE
from .common import TestHyReportCommon

REPORT_TEXT = "Sở Nội vụ báo cáo kết quả thực hiện nhiệm vụ 6 tháng đầu năm 2026 như sau: ..."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The 6-month period of 2026 ends on 14/06 (settings' cut-off): units report from 15/06 until
# 19/06, the last day of "before 20/06".
REPORTING_DAY = "2026-06-16 03:00:00"


def six_month_2026(env, units):
    """The 6-month period of 2026 with the dates and deadline of the default settings."""
    return env["hy.report.period"].create(
        {"kind": "six_month", "year": 2026, "unit_ids": [(6, 0, units.ids)]}
    )


@tagged("post_install", "-at_install")
class TestUnitSubmission(TestHyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = six_month_2026(cls.env, cls.unit_a | cls.unit_b)

    def _submit(self, user, unit=None, **vals):
        values = {
            "period_id": self.period.id,
            "unit_id": (unit or self.unit_a).id,
            "text": REPORT_TEXT,
        }
        values.update(vals)
        return self.env["hy.report.unit.submission"].with_user(user).create(values)

    def test_deadline_in_vietnam_time(self):
        # "Before 20/06": the last day on time is 19/06.
        self.assertEqual(self.period.unit_report_deadline, date(2026, 6, 19))
        with freeze_time("2026-06-19 16:30:00"):  # 23:30 on 19 June in Hà Nội
            on_time = self._submit(self.portal_a)
        with freeze_time("2026-06-19 17:30:00"):  # 00:30 on 20 June in Hà Nội: late already
            late = self._submit(self.user_b, unit=self.unit_b)
        self.assertFalse(on_time.is_late)
        self.assertTrue(late.is_late)
        self.assertEqual(on_time.submitted_by_id, self.portal_a)
        self.assertEqual(self.period.submitted_unit_ids, self.unit_a | self.unit_b)
        self.assertEqual(self.period.late_submission_count, 1)

    def test_replace_before_the_deadline_only(self):
        with freeze_time("2026-06-19 03:00:00"):
            submission = self._submit(self.user_a)
            submission.with_user(self.portal_a).write({"text": REPORT_TEXT + " (bổ sung)"})
            self.assertEqual(submission.submitted_by_id, self.portal_a)
        with freeze_time("2026-06-20 03:00:00"), self.assertRaises(UserError):
            submission.with_user(self.user_a).write({"text": REPORT_TEXT + " (sửa lần 2)"})
        self.assertFalse(submission.is_late)

    def test_who_has_not_reported(self):
        with freeze_time(REPORTING_DAY):
            self._submit(self.user_a)
        self.assertEqual(self.period.missing_unit_ids, self.unit_b)
        self.assertEqual(self.period.missing_unit_count, 1)
        action = self.period.action_view_submissions()
        self.assertEqual(action["domain"], [("period_id", "=", self.period.id)])

    def test_own_unit_only(self):
        with freeze_time(REPORTING_DAY):
            with self.assertRaises(AccessError):
                self._submit(self.user_a, unit=self.unit_b)
            submission = self._submit(self.user_b, unit=self.unit_b)
        self.env.flush_all()
        with self.assertRaises(AccessError):
            submission.with_user(self.user_a).read(["text"])

    def test_validation(self):
        with freeze_time(REPORTING_DAY):
            with self.assertRaises(ValidationError):
                self._submit(self.user_a, text="Ngắn")
            with self.assertRaises(ValidationError):
                self._submit(
                    self.user_a,
                    attachment=base64.b64encode(b"<html><script>alert(1)</script></html>"),
                    attachment_name="bao-cao.pdf",
                )
            with self.assertRaises(ValidationError):
                self._submit(
                    self.user_a, attachment=base64.b64encode(PDF), attachment_name="bao-cao.exe"
                )
            Submission = self.env["hy.report.unit.submission"]
            with self.assertRaises(ValidationError):
                Submission._check_file("bao-cao.pdf", PDF + b"0" * MAX_FILE_SIZE)
            Submission._check_file("bao-cao.pdf", PDF)
            self.period.action_compute()
            self.period.action_approve()
            with self.assertRaises(UserError):
                self._submit(self.user_a)


@tagged("post_install", "-at_install")
class TestUnitSubmissionPortal(TestHyReportCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.period = six_month_2026(cls.env, cls.unit_a | cls.unit_b)

    def _form(self):
        page = self.url_open("/my/hy_reports")
        self.assertEqual(page.status_code, 200)
        return page.text, re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]

    def _post(self, token, unit, text, files=None):
        return self.url_open(
            f"/my/hy_reports/{self.period.id}/submit",
            data={"csrf_token": token, "unit_id": unit.id, "text": text},
            files=files,
            allow_redirects=False,
        )

    @freeze_time("2026-06-14 03:00:00")
    def test_portal_no_report_before_the_period_ends(self):
        self.authenticate("r_portal_a", "r_portal_a")
        page = self.url_open("/my/hy_reports").text
        self.assertIn("14/06/2026", page)
        self.assertIn("15/06/2026", page)
        self.assertNotIn('name="text"', page, "no form before the period has ended")
        token = re.search(r'csrf_token: "([^"]+)"', page)[1]
        response = self._post(token, self.unit_a, REPORT_TEXT)
        self.assertEqual(response.status_code, 400)
        self.assertIn("15/06/2026", response.text)
        self.assertFalse(self.period.submission_ids)

    @freeze_time(REPORTING_DAY)
    def test_portal_member_sends_the_report(self):
        self.authenticate("r_portal_a", "r_portal_a")
        page, token = self._form()
        self.assertIn(str(escape(self.period.name)), page)
        self.assertIn(self.unit_a.name, page)
        self.assertNotIn(self.unit_b.name, page)
        response = self._post(token, self.unit_a, "")
        self.assertEqual(response.status_code, 400)
        response = self._post(
            token, self.unit_a, REPORT_TEXT, files={"file": ("bao-cao.svg", b"<svg/>", "image/svg")}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.period.submission_ids)
        response = self._post(token, self.unit_b, REPORT_TEXT)
        self.assertEqual(response.status_code, 400)
        response = self._post(
            token,
            self.unit_a,
            REPORT_TEXT,
            files={"file": ("bao-cao.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 303)
        submission = self.period.submission_ids
        self.assertEqual(submission.unit_id, self.unit_a)
        self.assertEqual(submission.submitted_by_id, self.portal_a)
        self.assertEqual(submission.attachment_name, "bao-cao.pdf")
        self.assertEqual(base64.b64decode(submission.attachment), PDF)
        self.assertFalse(submission.is_late)
        page, _token = self._form()
        self.assertIn(REPORT_TEXT[:40], page)
