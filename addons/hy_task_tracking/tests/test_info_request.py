"""Requests for information (issue 27, Art. 10.6): the Office asks a task's lead unit for
information or documents by a date, the unit answers in its portal, reminders follow the
working calendar; classified tasks record only that it was asked and answered."""

import re
from datetime import date, timedelta

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger

from ..models.hy_time import hy_today
from .common import HANOI_0030, JsonRpcMixin, TestHyCommon

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# 23:30 in Hà Nội is 16:30 UTC the same day: the evening before a date starts there.
HANOI_2330 = "{} 16:30:00"


class InfoRequestCommon(TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 2026's public holidays in the Office's calendar: 31/08, 1/09 and 2/09 are days off.
        cls.env.ref("hy_task_tracking.resource_calendar_office")._hy_generate_vn_holidays([2026])

    def _ask(
        self, task, due_date=None, question="Đề nghị gửi báo cáo số liệu giải ngân", user=None
    ):
        values = {"task_id": task.id, "question": question}
        if due_date:
            values["due_date"] = due_date
        Request = self.env["hy.task.info.request"].with_user(user or self.officer)
        return Request.create(values)

    def _entries(self, task, change):
        return task.ledger_ids.filtered(lambda entry: entry.change == change)


@tagged("post_install", "-at_install")
class TestInfoRequest(InfoRequestCommon):
    """Asking, answering and cancelling, on the server: every path checks the same rules."""

    @freeze_time("2026-08-27 03:00:00")
    def test_officer_asks_the_lead_unit_by_a_working_day_date(self):
        task = self._assigned(date(2026, 12, 31))
        request = self._ask(task)
        # Five working days from Thursday 27/08: 28/08, then 3, 4, 7 and 8/09 (31/08-2/09 off).
        self.assertEqual(request.due_date, date(2026, 9, 8))
        self.assertEqual(
            (request.state, request.unit_id, request.requested_by_id, request.request_date),
            ("open", self.unit_a, self.officer, date(2026, 8, 27)),
        )
        self.assertEqual((task.open_info_request_count, task.has_open_info_request), (1, True))
        entry = self._entries(task, "info_request")
        self.assertEqual(len(entry), 1)
        self.assertEqual((entry.new_value, entry.info_request_id), ("2026-09-08", request))
        self.assertEqual(entry.user_id, self.officer)
        # The unit's members are mailed the question; the Office's chatter notes it.
        mail = self._mails_to(self.portal_a)
        self.assertEqual(len(mail), 1)
        self.assertIn(self.user_a.partner_id, mail.recipient_ids)
        self.assertIn("Đề nghị gửi báo cáo số liệu giải ngân", mail.body_html)
        self.assertIn("08/09/2026", mail.subject)
        self.assertIn(task.reference, mail.body_html)
        note = task.message_ids.filtered(lambda m: "giải ngân" in (m.body or ""))
        self.assertTrue(note)
        # The default follows the setting.
        self.env["ir.config_parameter"].set_param("hy_task_tracking.info_request_days", "2")
        self.assertEqual(self._ask(task).due_date, date(2026, 9, 3))

    @freeze_time("2026-08-27 03:00:00")
    def test_what_cannot_be_asked(self):
        task = self._assigned(date(2026, 12, 31))
        with self.assertRaisesRegex(ValidationError, "cannot be before today"):
            self._ask(task, date(2026, 8, 26))
        with self.assertRaisesRegex(ValidationError, "what information or documents"):
            self._ask(task, question="  ")
        draft = self._task()
        with self.assertRaisesRegex(UserError, "not with its unit"):
            self._ask(draft)
        returned = self._assigned(date(2026, 12, 31))
        returned.with_user(self.user_a)._return_to_office("Không thuộc chức năng")
        with self.assertRaisesRegex(UserError, "not with its unit"):
            self._ask(returned)
        offline = self._assigned(date(2026, 12, 31), unit=self.unit_off)
        with self.assertRaisesRegex(UserError, "does not use the software"):
            self._ask(offline)
        # Only the Office asks; an officer asks only about tasks within clearance.
        with self.assertRaises(AccessError):
            self._ask(task, user=self.user_a)
        secret = self._assigned(date(2026, 12, 31), directive=self.directive_conf)
        with self.assertRaises(AccessError):
            self._ask(secret, question=False, user=self.officer_uncleared)
        tried = task | draft | returned | offline | secret
        self.assertFalse(self.env["hy.task.info.request"].search([("task_id", "in", tried.ids)]))

    @freeze_time("2026-08-27 03:00:00")
    def test_classified_task_records_only_that_it_was_asked_and_answered(self):
        secret = self._assigned(date(2026, 12, 31), directive=self.directive_conf)
        with self.assertRaisesRegex(ValidationError, "classified directive"):
            self._ask(secret)
        request = self._ask(secret, date(2026, 9, 3), question=False)
        self.assertFalse(request.question)
        self.assertEqual(self._entries(secret, "info_request").info_request_id, request)
        # The unit is told that an answer is expected and by when, nothing of the task.
        mail = self._mails_to(self.portal_a)
        self.assertEqual(len(mail), 1)
        self.assertNotIn(secret.reference, mail.body_html)
        self.assertNotIn(self.directive_conf.number, mail.body_html)
        self.assertIn("03/09/2026", mail.body_html)
        # Not even superuser code stores text on it.
        with self.assertRaisesRegex(ValidationError, "classified directive"):
            request.sudo().write({"answer": "Số liệu mật"})  # sudo: even the superuser
        # A unit member may read the request of their unit, whatever their clearance.
        as_unit = request.with_user(self.portal_a)
        with self.assertRaisesRegex(ValidationError, "classified channel"):
            as_unit._hy_answer("Số liệu mật")
        with self.assertRaisesRegex(ValidationError, "classified channel"):
            as_unit._hy_answer("", [("so-lieu.pdf", PDF)])
        as_unit._hy_answer("")
        self.assertEqual(
            (request.state, request.answered_by_id, request.answer),
            ("answered", self.portal_a, False),
        )
        self.assertEqual(len(self._entries(secret, "info_answer")), 1)
        # The officer is told by an activity without summary.
        activity = secret.activity_ids.filtered(
            lambda a: (
                a.activity_type_id.id
                == self.env.ref("hy_task_tracking.mail_activity_type_info_answer").id
            )
        )
        self.assertEqual((activity.user_id, activity.summary), (self.officer, False))

    @freeze_time("2026-08-27 03:00:00")
    def test_the_office_cancels_or_moves_the_date_the_unit_neither(self):
        task = self._assigned(date(2026, 12, 31))
        request = self._ask(task, date(2026, 9, 4))
        with self.assertRaises(AccessError):
            request.with_user(self.user_a).write({"due_date": "2026-09-30"})
        with self.assertRaises(AccessError):
            request.with_user(self.user_a).action_cancel()
        with self.assertRaisesRegex(ValidationError, "before today"):
            request.with_user(self.officer).write({"due_date": "2026-08-01"})
        request.with_user(self.officer).write({"due_date": "2026-09-10"})
        self.assertEqual(request.due_date, date(2026, 9, 10))
        request.with_user(self.officer).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self._flush_tracking()
        messages = request.sudo().message_ids  # sudo: tracking values are for administrators
        tracked = messages.tracking_value_ids.mapped("field_id.name")
        self.assertIn("state", tracked)
        self.assertIn("due_date", tracked)
        self.assertEqual(task.open_info_request_count, 0)
        with self.assertRaisesRegex(UserError, "cancelled this request"):
            request.with_user(self.portal_a)._hy_answer("Đã có số liệu")
        with self.assertRaisesRegex(UserError, "open request"):
            request.with_user(self.officer).write({"due_date": "2026-09-20"})

    @freeze_time("2026-08-27 03:00:00")
    def test_only_the_unit_asked_answers_and_only_once(self):
        task = self._assigned(date(2026, 12, 31), support_unit_ids=[(6, 0, self.unit_b.ids)])
        request = self._ask(task)
        # A coordinating unit reads the task, not the request made to the lead unit.
        with self.assertRaises(AccessError):
            request.with_user(self.portal_b)._hy_answer("Không phải đơn vị được hỏi")
        with self.assertRaises(AccessError):
            request.with_user(self.officer)._hy_answer("Văn phòng tự trả lời")
        request.with_user(self.user_a)._hy_answer("Đã giải ngân 60%", [("so-lieu.pdf", PDF)])
        self.assertEqual((request.state, request.answered_by_id), ("answered", self.user_a))
        self.assertEqual(request.answered_date, date(2026, 8, 27))
        self.assertEqual(request.attachment_ids.name, "so-lieu.pdf")
        with self.assertRaisesRegex(UserError, "already answered"):
            request.with_user(self.portal_a)._hy_answer("Lần hai")
        # Files are checked as those of a progress update.
        other = self._ask(task)
        with self.assertRaisesRegex(ValidationError, "cannot be attached"):
            other.with_user(self.portal_a)._hy_answer("Xem tệp", [("script.html", b"<script>")])
        with self.assertRaisesRegex(ValidationError, "not an accepted document type"):
            other.with_user(self.portal_a)._hy_answer("Xem tệp", [("gia.pdf", b"<html></html>")])
        self.assertEqual(other.state, "open")


@tagged("post_install", "-at_install")
class TestInfoRequestReminders(InfoRequestCommon):
    """The nightly reminders: the last working day before the answer date and the first
    working day after it, in Hà Nội's date, each once."""

    def _reminders(self, kind):
        return self.env["hy.task.reminder"].search([("kind", "=", kind)])

    def test_reminders_follow_the_working_calendar_in_hanoi_time(self):
        task = self._assigned(date(2026, 12, 31))
        with freeze_time("2026-08-20 03:00:00"):
            # Due Thursday 3/09: the working day before is Friday 28/08 (31/08 to 2/09 off),
            # the first working day after is Friday 4/09.
            request = self._ask(task, date(2026, 9, 3))
            answered = self._ask(task, date(2026, 9, 3))
            answered.with_user(self.portal_a)._hy_answer("Đã gửi")
        Request = self.env["hy.task.info.request"]
        mails_before = len(self._mails_to(self.portal_a))

        def run(when):
            with freeze_time(when):
                return Request._cron_reminders()

        self.assertFalse(run(HANOI_2330.format("2026-08-27")), "still 27/08 in Hà Nội")
        self.assertEqual(run(HANOI_0030.format("2026-08-27")), request, "28/08 in Hà Nội")
        self.assertFalse(run(HANOI_0030.format("2026-08-27")), "a rerun repeats nothing")
        for when in (
            HANOI_0030.format("2026-08-30"),  # 31/08, a day off
            HANOI_0030.format("2026-09-02"),  # 3/09, the answer date
            HANOI_2330.format("2026-09-03"),  # still 3/09
        ):
            self.assertFalse(run(when), when)
        self.assertEqual(run(HANOI_0030.format("2026-09-03")), request, "4/09 in Hà Nội")
        self.assertFalse(run(HANOI_0030.format("2026-09-06")))
        before, after = (
            self._reminders("info_request_before"),
            self._reminders("info_request_after"),
        )
        self.assertEqual((before.about_date, before.date), (date(2026, 9, 3), date(2026, 8, 28)))
        self.assertEqual((after.about_date, after.date), (date(2026, 9, 3), date(2026, 9, 4)))
        mails = self._mails_to(self.portal_a).sorted("id")[mails_before:]
        self.assertEqual(len(mails), 2)
        self.assertIn("to answer soon", mails[0].subject)
        self.assertIn("past their date", mails[1].subject)
        self.assertIn(task.reference, mails[1].body_html)
        # A new answer date is a new reminder.
        with freeze_time("2026-09-05 03:00:00"):
            request.with_user(self.officer).write({"due_date": "2026-09-08"})
        self.assertEqual(run(HANOI_0030.format("2026-09-06")), request, "7/09: the day before")

    def _cron_queries(self, count):
        """The queries of the nightly job reminding ``count`` requests of units A and B."""
        tasks = self._task_batch(count, deadline=date(2026, 12, 31))
        with freeze_time("2026-08-20 03:00:00"):
            for task in tasks:
                self._ask(task, date(2026, 9, 3))
        self.env.flush_all()
        self.env.invalidate_all()
        with freeze_time(HANOI_0030.format("2026-09-03")):
            start = self.env.cr.sql_log_count
            reminded = self.env["hy.task.info.request"]._cron_reminders()
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - start
        self.assertEqual(len(reminded), count)
        return queries

    def test_the_job_reads_and_writes_in_batch(self):
        # Two units either way: the same queries for 2 requests as for 10.
        few = self._cron_queries(2)
        requests = self.env["hy.task.info.request"].search([]).sudo()  # sudo: set-up
        requests.write({"state": "cancelled"})
        many = self._cron_queries(10)
        self.assertLessEqual(many, few + 2, f"{few} queries for 2 requests, {many} for 10")

    def test_one_mail_per_unit_for_many_requests(self):
        tasks = self._task_batch(6, deadline=date(2026, 12, 31))
        with freeze_time("2026-08-20 03:00:00"):
            for task in tasks:
                self._ask(task, date(2026, 9, 3))
        with freeze_time(HANOI_0030.format("2026-09-03")):
            queued = self.env["mail.mail"].search_count([])
            reminded = self.env["hy.task.info.request"]._cron_reminders()
            self.assertEqual(len(reminded), 6)
            self.assertEqual(self.env["mail.mail"].search_count([]) - queued, 2, "one per unit")


@tagged("post_install", "-at_install")
class TestInfoRequestPortal(JsonRpcMixin, HttpCase, InfoRequestCommon):
    """The unit answers on the task's page, through the real form; nothing else answers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = hy_today()
        cls.task = cls._task(state="in_progress", deadline=today + timedelta(days=60))
        cls.task.followup_user_id = cls.officer
        cls.task_b = cls._task(unit=cls.unit_b, state="assigned", deadline=today + timedelta(60))
        cls.request = (
            cls.env["hy.task.info.request"]
            .with_user(cls.officer)
            .create(
                {
                    "task_id": cls.task.id,
                    "question": "Đề nghị gửi kế hoạch triển khai",
                    "due_date": today + timedelta(days=7),
                }
            )
        )

    def _post(self, task, data=None, files=None):
        payload = {"csrf_token": http.Request.csrf_token(self)}
        payload.update(data or {})
        response = self.url_open(
            f"/my/hy_tasks/{task.id}/answer", data=payload, files=files, allow_redirects=False
        )
        self.env.invalidate_all()
        return response

    def test_unit_answers_in_the_portal_with_a_file(self):
        self._login(self.portal_a)
        counts = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["hy_info_request_open_count"]}
        )
        self.assertEqual(counts, {"hy_info_request_open_count": 1})
        listed = self.url_open("/my/hy_tasks?filterby=info_requested")
        self.assertIn(self.task.reference, listed.text)
        self.assertIn(
            'data-placeholder_count="hy_info_request_open_count"', self.url_open("/my").text
        )
        page = self.url_open(f"/my/hy_tasks/{self.task.id}")
        self.assertIn("Đề nghị gửi kế hoạch triển khai", page.text)
        self.assertIn('class="mt-3 o_hy_form_answer"', page.text)
        response = self._post(
            self.task,
            {"request_id": str(self.request.id), "answer": "Đã ban hành kế hoạch số 12/KH"},
            files={"attachments": ("ke-hoach.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        page = self.url_open(response.headers["Location"])
        self.assertIn("Your answer was sent to the Office.", page.text)
        self.assertNotIn('class="mt-3 o_hy_form_answer"', page.text)
        request = self.request
        self.assertEqual(
            (request.state, request.answer, request.answered_by_id, request.answered_date),
            ("answered", "Đã ban hành kế hoạch số 12/KH", self.portal_a, hy_today()),
        )
        self.assertEqual(request.attachment_ids.name, "ke-hoach.pdf")
        entries = self.task.ledger_ids.filtered(
            lambda e: e.change in ("info_request", "info_answer")
        )
        self.assertEqual(sorted(entries.mapped("change")), ["info_answer", "info_request"])
        self.assertEqual(entries.info_request_id, request)
        self.assertEqual(self.task.open_info_request_count, 0)
        # The follow-up officer has an activity, the Office's chatter the answer.
        activity = self.task.activity_ids.filtered(lambda a: a.user_id == self.officer)
        self.assertIn(self.unit_a.name, activity.summary)
        self.assertTrue(
            self.task.message_ids.filtered(lambda m: "số 12/KH" in (m.body or "")),
        )
        # The unit downloads its file with its token; another unit does not.
        link = re.search(
            r'href="(/web/content/\d+\?download=true&amp;access_token=[\w-]+)"', page.text
        )
        self.assertEqual(self.url_open(link[1].replace("&amp;", "&")).content, PDF)
        # A second answer is refused, with the reason on the page.
        again = self._post(self.task, {"request_id": str(request.id), "answer": "Lần hai"})
        self.assertEqual(again.status_code, 422)
        self.assertIn("already answered", again.text)
        self.assertEqual(request.answer, "Đã ban hành kế hoạch số 12/KH")

    @mute_logger("odoo.http")
    def test_another_unit_cannot_answer(self):
        self._login(self.portal_b)
        # Another unit's task: as if it did not exist.
        response = self._post(self.task, {"request_id": str(self.request.id), "answer": "x"})
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(
            "Đề nghị gửi kế hoạch", self.url_open(f"/my/hy_tasks/{self.task_b.id}").text
        )
        # Its own task, naming unit A's request: refused.
        response = self._post(self.task_b, {"request_id": str(self.request.id), "answer": "x"})
        self.assertEqual(response.status_code, 403)
        for request_id in ("abc", "99999999999", "0"):
            response = self._post(self.task_b, {"request_id": request_id, "answer": "x"})
            self.assertIn(response.status_code, (403, 422), request_id)
        self.assertEqual(self.request.state, "open")
        counts = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["hy_info_request_open_count"]}
        )
        self.assertEqual(counts, {"hy_info_request_open_count": 0})

    def test_classified_task_is_marked_answered_without_text(self):
        secret = self._task(
            directive_id=self.directive_conf.id,
            name=False,
            state="in_progress",
            deadline=hy_today() + timedelta(days=60),
        )
        request = (
            self.env["hy.task.info.request"]
            .with_user(self.officer)
            .create({"task_id": secret.id, "due_date": hy_today() + timedelta(days=3)})
        )
        self._login(self.portal_a)
        page = self.url_open(f"/my/hy_tasks/{secret.id}")
        self.assertIn("Mark as answered", page.text)
        self.assertNotIn('name="answer"', page.text)
        forged = self._post(secret, {"request_id": str(request.id), "answer": "Nội dung mật"})
        self.assertEqual(forged.status_code, 422)
        self.assertIn("classified channel", forged.text)
        self.assertEqual(request.state, "open")
        response = self._post(secret, {"request_id": str(request.id)})
        self.assertEqual(response.status_code, 303)
        self.assertEqual((request.state, request.answer), ("answered", False))

    @mute_logger("odoo.http")
    def test_json_rpc_forgeries_are_refused(self):
        request = self.request
        self._login(self.portal_a)
        for values in (
            {"state": "answered"},
            {"answer": "Trả lời qua RPC"},
            {"answered_by_id": self.user_b.id},
            {"answered_date": "2026-06-01"},
            {"attachment_ids": [[6, 0, []]]},
            {"due_date": "2099-12-31"},
            {"unit_id": self.unit_b.id},
        ):
            with self.subTest(values=values):
                self.assertRefused(
                    self._call("hy.task.info.request", "write", [request.id], values)
                )
        self.assertRefused(self._call("hy.task.info.request", "action_cancel", [request.id]))
        # The workflow method is private: no RPC reaches it.
        self.assertRefused(
            self._call("hy.task.info.request", "_hy_answer", [request.id], "Trả lời qua RPC")
        )
        # No post on the request's chatter either.
        _result, error, _message = self._call(
            "hy.task.info.request", "message_post", [request.id], body="Trả lời qua chatter"
        )
        self.assertTrue(error)
        self.assertRefused(
            self._call(
                "hy.task.info.request",
                "create",
                [{"task_id": self.task.id, "question": "Tự hỏi", "due_date": "2099-01-01"}],
            )
        )
        # The Office neither answers nor forges who answered.
        self._login(self.officer)
        for values in (
            {"state": "answered"},
            {"answer": "x"},
            {"answered_by_id": self.portal_a.id},
        ):
            with self.subTest(values=values):
                self.assertRefused(
                    self._call("hy.task.info.request", "write", [request.id], values)
                )
        self.assertEqual(
            (request.state, request.answer, request.answered_by_id),
            ("open", False, self.env["res.users"]),
        )
