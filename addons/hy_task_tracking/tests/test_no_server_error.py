"""Odd input answers a 4xx with a message the user can read, never a 500 with a traceback
(issue 22, finding 14): NUL characters, out-of-range dates, limits and offsets beyond the
database's integers, thread models that do not take files."""

import io
from datetime import timedelta
from urllib.parse import urlencode

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.base import MAX_BIGINT
from .common import JsonRpcMixin
from .test_portal import PDF, TestPortalCommon

NUL_MESSAGE = "The request contains a NUL character"
BAD_DATE = "Please enter a valid date (dd/mm/yyyy)."


@tagged("post_install", "-at_install")
class TestNoServerError(JsonRpcMixin, TestPortalCommon):
    def _assert_user_error(self, answer, message):
        """A JSON-RPC refusal the web client shows as a message, not as a server error."""
        error = answer.get("error")
        self.assertTrue(error, answer)
        self.assertEqual(error["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn(message, error["data"]["message"])

    def _forged_upload(self, url, fields, file_field):
        """A multipart POST of ``fields`` and a PDF whose file name holds a NUL, as no HTTP
        client writes it (they escape it as "%00")."""
        boundary = "hyboundary"
        fields = dict(fields, csrf_token=http.Request.csrf_token(self))
        body = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        )
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            'filename="bao\x00cao.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        body += PDF + f"\r\n--{boundary}--\r\n".encode()
        return self.url_open(
            url,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            allow_redirects=False,
        )

    def _assert_refused(self, response, status, message):
        self.assertEqual(response.status_code, status, response.text[:500])
        self.assertIn(message, response.text)
        self.assertNotIn("Traceback", response.text)

    # ------------------------------------------------------------------ NUL characters

    @mute_logger("odoo.http")
    def test_nul_in_the_portal_search(self):
        self._login(self.portal_a)
        for search in ("\x00", "NV\x00", "%00"):
            with self.subTest(search=search):
                response = self._get(f"/my/hy_tasks?{urlencode({'search': search})}")
                if search == "%00":
                    # The literal text "%00" is no NUL: a search like any other.
                    self.assertEqual(response.status_code, 200)
                    continue
                self._assert_refused(response, 400, NUL_MESSAGE)

    @mute_logger("odoo.http")
    def test_nul_in_the_portal_forms(self):
        self._login(self.portal_a)
        task = self.task_due_soon
        today = self.today.isoformat()
        cases = [
            ("done", {"date_done": today, "result": "Đã xong\x00"}),
            ("done", {"date_done": "\x00", "result": "Đã xong"}),
            ("return", {"reason": "Không thuộc chức năng\x00"}),
            ("update", {"progress": "50", "note": "Đang làm\x00", "submission_key": "k1"}),
            ("update", {"progress": "5\x000", "note": "Đang làm", "submission_key": "k2"}),
            (
                "extension",
                {"new_deadline": (task.deadline + timedelta(days=9)).isoformat(), "reason": "\x00"},
            ),
        ]
        for action, data in cases:
            with self.subTest(action=action, data=data):
                self._assert_refused(self._post(task, action, data), 400, NUL_MESSAGE)
        # A file whose name holds a NUL: HTTP clients escape it ("%00"), a forged body does not.
        response = self._forged_upload(
            f"/my/hy_tasks/{task.id}/update",
            {"progress": "50", "note": "Đang làm", "submission_key": "k3"},
            "attachments",
        )
        self._assert_refused(response, 400, NUL_MESSAGE)
        self.assertEqual(task.state, "in_progress")
        self.assertFalse(task.extension_ids)
        self.assertFalse(self.env["hy.task.update"].search([("task_id", "=", task.id)]))

    @mute_logger("odoo.http")
    def test_nul_in_the_portal_chatter(self):
        self._login(self.portal_a)
        # The chatter's HTML sanitizer drops it: the message is posted, without it.
        answer = self._jsonrpc(
            "/mail/message/post",
            {
                "thread_model": "hy.task",
                "thread_id": self.task_open.id,
                "post_data": {"body": "Đã gửi\x00 báo cáo", "message_type": "comment"},
            },
        )
        self.assertIn("result", answer, answer)
        message = self.env["mail.message"].search(
            [("model", "=", "hy.task"), ("res_id", "=", self.task_open.id)], limit=1
        )
        self.assertIn("báo cáo", message.body)
        self.assertNotIn("\x00", message.body)
        # A file of the chatter whose name holds a NUL.
        response = self._forged_upload(
            "/mail/attachment/upload",
            {"thread_model": "hy.task", "thread_id": self.task_open.id, "is_pending": "true"},
            "ufile",
        )
        self._assert_refused(response, 400, NUL_MESSAGE)
        self.assertFalse(self.env["ir.attachment"].search([("name", "like", "bao%cao.pdf")]))

    @mute_logger("odoo.http", "odoo.sql_db")
    def test_nul_in_a_search_domain(self):
        self._login(self.user_a)
        for domain in (
            [["name", "ilike", "báo\x00cáo"]],
            [["reference", "in", ["NV-1", "NV\x002"]]],
        ):
            with self.subTest(domain=domain):
                answer = self._call_kw("hy.task", "search_read", [domain], {"fields": ["id"]})
                self._assert_user_error(answer, NUL_MESSAGE)

    # ------------------------------------------------------------------ dates

    def test_out_of_range_dates_in_the_completion_and_extension_forms(self):
        self._login(self.portal_a)
        task = self.task_due_soon
        for value in (
            "99999-01-01",
            "0000-00-00",
            "2026-13-45",
            "31/12/99999",
            "01/01/99999999999999999999",  # OverflowError in date()
            "-1/-1/-1",
            "1/1/2026/1",
            "0001-01-01",
            "9999-12-31",
        ):
            with self.subTest(form="done", value=value):
                response = self._post(task, "done", {"date_done": value, "result": "Xong"})
                self.assertEqual(response.status_code, 422, response.text[:500])
                self.assertIn('id="hy_form_done" class="collapse show"', response.text)
            with self.subTest(form="extension", value=value):
                response = self._post(
                    task, "extension", {"new_deadline": value, "reason": "Chờ số liệu"}
                )
                self.assertEqual(response.status_code, 422, response.text[:500])
                self.assertIn('id="hy_form_extension" class="collapse show"', response.text)
        for value, message in (
            ("99999-01-01", BAD_DATE),
            ("2026-13-45", BAD_DATE),
            ("01/01/99999999999999999999", BAD_DATE),
            # Valid dates, but no deadline of the province's: the arithmetic on a deadline
            # (the next day, working days) would overflow near the end of the calendar.
            ("9999-12-31", "Please enter a date between"),
            ("0001-01-01", "Please enter a date between"),
        ):
            with self.subTest(message=value):
                response = self._post(task, "extension", {"new_deadline": value, "reason": "x"})
                self.assertIn(message, response.text)
        self.env.invalidate_all()
        self.assertEqual(task.state, "in_progress")
        self.assertFalse(task.extension_ids)

    # ------------------------------------------------------------------ limit and offset

    @mute_logger("odoo.http")
    def test_limit_and_offset_beyond_the_database_integers(self):
        self._login(self.user_a)
        calls = [
            ("search", [[]], {}),
            ("search_read", [[]], {"fields": ["reference"]}),
            ("web_search_read", [[]], {"specification": {"reference": {}}}),
            ("search_count", [[]], {}),
            ("name_search", [], {"name": ""}),
            ("read_group", [[], ["__count"], ["create_uid"]], {}),
            ("web_read_group", [[], ["__count"], ["create_uid"]], {}),
        ]
        for model in ("hy.task", "hy.directive", "res.partner"):
            for method, args, kwargs in calls:
                for key in ("limit", "offset"):
                    if key == "offset" and method in ("search_count", "name_search"):
                        continue  # they take no offset
                    values = [2**63, -1, -(2**63) - 1, 10**30]
                    if model == "hy.task":
                        # JSON-RPC also parses NaN and Infinity; SQL takes no text nor boolean.
                        values += [float("nan"), float("inf"), 1.5, True, "10"]
                    for value in values:
                        with self.subTest(model=model, method=method, key=key, value=value):
                            answer = self._call_kw(model, method, args, {**kwargs, key: value})
                            self._assert_user_error(answer, "whole number between 0 and")
        # The largest of the database's integers is a limit like any other.
        for key in ("limit", "offset"):
            answer = self._call_kw(
                "hy.task", "search_read", [[]], {"fields": ["id"], key: MAX_BIGINT}
            )
            self.assertIn("result", answer, answer)
        answer = self._call_kw("hy.task", "search_read", [[]], {"fields": ["id"], "limit": 0})
        self.assertIn("result", answer, answer)

    # ------------------------------------------------------------------ chatter upload

    @mute_logger("odoo.http")
    def test_upload_to_a_model_that_takes_no_files(self):
        task = str(self.task_open.id)
        for user in (self.portal_a, self.user_a):
            self._login(user)
            for model in (
                "hy.task.ledger",
                "hy.task ",
                "HY.TASK",
                "no.such.model",
                "",
                "res.groups",
            ):
                with self.subTest(user=user.login, thread_model=model):
                    response = self.url_open(
                        "/mail/attachment/upload",
                        data={
                            "csrf_token": http.Request.csrf_token(self),
                            "thread_model": model,
                            "thread_id": task,
                            "is_pending": "true",
                        },
                        files={"ufile": ("rapport.pdf", io.BytesIO(PDF), "application/pdf")},
                        allow_redirects=False,
                    )
                    self._assert_refused(response, 404, "You cannot attach files here")
        files = self.env["ir.attachment"].search([("name", "=", "rapport.pdf")])
        self.assertFalse(files, "no byte of the file was written")
