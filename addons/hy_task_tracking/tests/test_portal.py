import logging
import re
from datetime import timedelta
from types import SimpleNamespace
from unittest.mock import patch

from odoo import http
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date, mute_logger

from odoo.addons.portal.controllers import portal as odoo_portal

from ..controllers import portal as hy_portal
from ..models import hy_task_update
from ..models.hy_task import hy_today
from .common import TestHyCommon

_logger = logging.getLogger(__name__)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class TestPortalCommon(TestHyCommon, HttpCase):
    """Tasks of unit A in every situation the portal shows, and tasks of unit B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = hy_today()
        cls.directive_p = cls.env["hy.directive"].create(
            {
                "name": "Kế hoạch",
                "number": "977/KH-UBND",
                "issue_date": cls.today - timedelta(days=400),
                "signer": "Trần Quốc Văn",
                "authority": "province",
                "summary": "Về việc số hóa hồ sơ thủ tục hành chính",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.directive_gov = cls.env["hy.directive"].create(
            {
                "name": "Nghị quyết",
                "number": "901/NQ-CP",
                "issue_date": cls.today - timedelta(days=300),
                "signer": "Phạm Minh Chính",
                "authority": "government",
                "summary": "Nhiệm vụ, giải pháp chủ yếu năm 2026",
                "followup_unit_id": cls.division.id,
            }
        )
        cls.directive_secret = cls.env["hy.directive"].create(
            {
                "name": "Quyết định",
                "number": "915/QĐ-UBND",
                "issue_date": cls.today - timedelta(days=100),
                "signer": "Trần Quốc Văn",
                "authority": "province",
                "security_level": "confidential",
                "followup_unit_id": cls.division.id,
            }
        )
        p = cls.directive_p.id
        cls.task_open = cls._task(
            directive_id=p,
            name="Số hóa hồ sơ một cửa cấp huyện",
            deadline=cls.today + timedelta(days=30),
            state="assigned",
        )
        cls.task_overdue = cls._task(
            directive_id=p,
            name="Báo cáo tiến độ giải phóng mặt bằng",
            deadline=cls.today - timedelta(days=5),
            state="assigned",
        )
        cls.task_due_soon = cls._task(
            directive_id=cls.directive_gov.id,
            name="Rà soát quy hoạch sử dụng đất",
            deadline=cls.today + timedelta(days=3),
            state="in_progress",
        )
        cls.task_b = cls._task(
            unit=cls.unit_b,
            directive_id=p,
            name="Phân bổ dự toán ngân sách",
            deadline=cls.today + timedelta(days=30),
            state="assigned",
        )
        cls.task_b_with_a = cls._task(
            unit=cls.unit_b,
            directive_id=p,
            name="Thẩm định phương án tài chính",
            deadline=cls.today + timedelta(days=20),
            state="in_progress",
            support_unit_ids=[(6, 0, cls.unit_a.ids)],
        )
        cls.draft_a = cls._task(directive_id=p, name="Nhiệm vụ chưa giao")
        cls.task_secret = cls.env["hy.task"].create(
            {
                "directive_id": cls.directive_secret.id,
                "lead_unit_id": cls.unit_a.id,
                "deadline": cls.today + timedelta(days=15),
                "followup_unit_id": cls.division.id,
            }
        )
        cls.task_secret.action_assign()
        cls.task_secret.flush_recordset()

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _post(self, task, action, data=None, files=None):
        payload = {"csrf_token": http.Request.csrf_token(self)}
        payload.update(data or {})
        response = self.url_open(
            f"/my/hy_tasks/{task.id}/{action}", data=payload, files=files, allow_redirects=False
        )
        # the request changed the records in its own environment: read them afresh
        self.env.invalidate_all()
        return response


@tagged("post_install", "-at_install")
class TestPortalPages(TestPortalCommon):
    def test_home_counters_count_the_units_tasks_as_the_user(self):
        self._login(self.portal_a)
        home = self._get("/my")
        self.assertEqual(home.status_code, 200)
        for counter in hy_portal.HOME_COUNTERS:
            self.assertIn(f'data-placeholder_count="{counter}"', home.text)
        shown = re.findall(r'data-placeholder_count="(hy_task_\w+)"', home.text)
        # Five counters, each shown once (the loop above reads them from the controller).
        self.assertEqual(
            sorted(shown),
            [
                "hy_task_assigned_count",
                "hy_task_due_soon_count",
                "hy_task_overdue_count",
                "hy_task_returned_count",
                "hy_task_to_confirm_count",
            ],
        )
        self.assertIn('href="/my/hy_tasks"', home.text)
        # a customer of another portal, in no unit, is not shown the unit's entries
        outsider = new_test_user(self.env, "t_portal_x", groups="base.group_portal")
        self._login(outsider)
        self.assertNotIn('href="/my/hy_tasks"', self._get("/my").text)
        self._login(self.portal_a)
        done = self._task(directive_id=self.directive_p.id, state="in_progress")
        done._report_done("Đã hoàn thành", self.today)
        returned = self._task(directive_id=self.directive_p.id, state="assigned")
        returned.with_user(self.user_a)._return_to_office("Không thuộc chức năng")
        counts = self.make_jsonrpc_request(
            "/my/counters", {"counters": list(hy_portal.HOME_COUNTERS)}
        )
        self.assertEqual(
            counts,
            {
                # open, overdue, due soon; not the draft nor unit B's tasks
                "hy_task_assigned_count": 4,
                "hy_task_overdue_count": 1,
                "hy_task_due_soon_count": 1,
                "hy_task_returned_count": 1,
                "hy_task_to_confirm_count": 1,
            },
        )
        self._login(self.portal_b)
        counts = self.make_jsonrpc_request("/my/counters", {"counters": ["hy_task_overdue_count"]})
        self.assertEqual(counts, {"hy_task_overdue_count": 0})

    def test_list_shows_the_units_tasks_only(self):
        self._login(self.portal_a)
        page = self._get("/my/hy_tasks")
        self.assertEqual(page.status_code, 200)
        for task in (self.task_open, self.task_overdue, self.task_due_soon, self.task_b_with_a):
            self.assertIn(task.reference, page.text)
        for task in (self.task_b, self.draft_a):
            self.assertNotIn(task.reference, page.text)
        # a coordinated task is marked as such; a classified one shows its number only
        self.assertRegex(
            page.text, rf"{self.task_b_with_a.reference}</a>\s*<span[^>]*>Coordinating"
        )
        self.assertIn(self.task_secret.reference, page.text)
        self.assertIn(self.task_secret.title, page.text)
        # the deadline in the reader's language (dd/mm/yyyy in Vietnamese), the days left or overdue
        reader = self.env(context={"lang": self.portal_a.lang})
        self.assertIn(format_date(reader, self.task_overdue.deadline), page.text)
        # counted in working days of the Office's calendar, as the task counts them
        late, left = self.task_overdue.working_days_overdue, self.task_due_soon.working_days_left
        self.assertGreater(late, 0)
        self.assertIn(f"{late} working day(s) overdue", page.text)
        self.assertIn(f"{left} working days left" if left > 1 else "1 working day left", page.text)
        # one badge per row with its status category
        badges = re.findall(r'class="badge o_hy_badge [^"]*" data-category="(\w+)"', page.text)
        self.assertEqual(len(badges), 5)
        self.assertIn("not_started_overdue", badges)

    def test_list_filters_sorts_and_search(self):
        self._login(self.portal_a)

        def references(query):
            page = self._get(f"/my/hy_tasks?{query}")
            self.assertEqual(page.status_code, 200)
            return re.findall(r'o_hy_task_link"[^>]*>([^<]+)<', page.text)

        self.assertEqual(references("filterby=overdue"), [self.task_overdue.reference])
        self.assertEqual(references("filterby=due_soon"), [self.task_due_soon.reference])
        self.assertEqual(references("filterby=coordinating"), [self.task_b_with_a.reference])
        self.assertEqual(
            references("filterby=in_progress_on_time"),
            [self.task_due_soon.reference, self.task_b_with_a.reference],
        )
        self.assertEqual(references("authority=government"), [self.task_due_soon.reference])
        self.assertEqual(
            references(f"search={self.task_open.reference}"), [self.task_open.reference]
        )
        self.assertEqual(references("search=901/NQ-CP"), [self.task_due_soon.reference])
        self.assertEqual(references("search=giải phóng mặt bằng"), [self.task_overdue.reference])
        # deadline first by default; by reference the newest first
        by_deadline = references("")
        self.assertEqual(by_deadline[0], self.task_overdue.reference)
        self.assertEqual(references("sortby=reference"), sorted(by_deadline, reverse=True))
        self.assertEqual(len(references("sortby=status")), 5)
        # unknown values fall back to the defaults rather than failing
        self.assertEqual(len(references("filterby=nope&sortby=nope&authority=nope&unit=x")), 5)

    def test_list_shows_the_tasks_to_do_first(self):
        # A unit's year of finished tasks must not push what is still to do to a later page:
        # open tasks first, by deadline; then the finished ones, the latest first.
        self.task_overdue.write({"state": "done", "date_done": self.today, "progress": 100})
        self._login(self.portal_a)
        page = self._get("/my/hy_tasks")
        listed = re.findall(r'o_hy_task_link"[^>]*>([^<]+)<', page.text)
        tasks = self.env["hy.task"].search([("reference", "in", listed)])
        still_open = tasks.filtered(lambda task: task.state != "done").sorted(
            lambda task: (not task.deadline, task.deadline or self.today, -task.id)
        )
        self.assertEqual(listed, [*still_open.mapped("reference"), self.task_overdue.reference])

    def test_list_unit_filter_for_members_of_several_units(self):
        self.unit_b.user_ids = [(4, self.portal_a.id)]
        self._login(self.portal_a)
        page = self._get("/my/hy_tasks")
        self.assertIn(self.task_b.reference, page.text)
        self.assertIn('id="hy_portal_unit"', page.text)
        page = self._get(f"/my/hy_tasks?unit={self.unit_b.id}")
        self.assertIn(self.task_b.reference, page.text)
        self.assertIn(self.task_b_with_a.reference, page.text)
        self.assertNotIn(self.task_open.reference, page.text)

    def test_list_pages(self):
        self.env["hy.task"].create(
            [
                {
                    "directive_id": self.directive_p.id,
                    "name": f"Nhiệm vụ {index}",
                    "lead_unit_id": self.unit_a.id,
                    "state": "assigned",
                    "deadline": self.today + timedelta(days=60),
                }
                for index in range(20)
            ]
        )
        self._login(self.portal_a)
        first = self._get("/my/hy_tasks")
        self.assertEqual(first.text.count("o_hy_task_link"), 20)
        self.assertIn('href="/my/hy_tasks/page/2?', first.text)
        second = self._get("/my/hy_tasks/page/2")
        self.assertEqual(second.text.count("o_hy_task_link"), 5)

    def test_task_page_of_a_normal_task(self):
        self._login(self.portal_a)
        page = self._get(f"/my/hy_tasks/{self.task_overdue.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Báo cáo tiến độ giải phóng mặt bằng", page.text)
        self.assertIn(self.directive_p.summary, page.text)
        self.assertIn("977/KH-UBND", page.text)
        self.assertIn('id="discussion"', page.text)
        late = self.task_overdue.working_days_overdue
        self.assertIn(f"{late} working day(s) overdue", page.text)
        for action in ("accept", "update", "done", "extension", "return"):
            self.assertIn(f'action="/my/hy_tasks/{self.task_overdue.id}/{action}"', page.text)
        self.assertIn('name="note"', page.text)
        self.assertIn('type="file"', page.text)

    def test_task_page_of_a_classified_task_shows_no_content_nor_chatter(self):
        self._login(self.portal_a)
        page = self._get(f"/my/hy_tasks/{self.task_secret.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.task_secret.title, page.text)
        self.assertIn("915/QĐ-UBND", page.text)
        self.assertNotIn('id="discussion"', page.text)
        self.assertNotIn("o_portal_chatter", page.text)
        self.assertNotIn('name="note"', page.text)
        self.assertNotIn('type="file"', page.text)
        self.assertNotIn('name="result"', page.text)
        self.assertNotIn("o_hy_summary", page.text)

    def test_other_units_drafts_and_missing_ids_answer_the_same_404(self):
        self._login(self.portal_a)
        missing = self.env["hy.task"].search([], order="id desc", limit=1).id + 1000
        for task_id in (self.task_b.id, self.draft_a.id, missing):
            with self.subTest(task_id=task_id):
                self.assertEqual(self._get(f"/my/hy_tasks/{task_id}").status_code, 404)
                for action in ("accept", "return", "update", "done", "extension"):
                    response = self.url_open(
                        f"/my/hy_tasks/{task_id}/{action}",
                        data={"csrf_token": http.Request.csrf_token(self), "reason": "x"},
                        allow_redirects=False,
                    )
                    self.assertEqual(response.status_code, 404)
        self.assertEqual(self.task_b.state, "assigned")
        # a unit B member does not see unit A's classified task either
        self._login(self.portal_b)
        self.assertEqual(self._get(f"/my/hy_tasks/{self.task_secret.id}").status_code, 404)

    def test_link_with_access_token_is_read_only_and_never_opens_classified_tasks(self):
        token = self.task_open._portal_ensure_token()
        page = self._get(f"/my/hy_tasks/{self.task_open.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Số hóa hồ sơ một cửa cấp huyện", page.text)
        self.assertNotIn("/accept", page.text)
        self.assertNotIn('name="submission_key"', page.text)
        self.assertEqual(
            self._get(f"/my/hy_tasks/{self.task_open.id}?access_token=x").status_code, 404
        )
        # without a token an anonymous visitor is sent to the login page
        response = self._get(f"/my/hy_tasks/{self.task_open.id}")
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        # a token somehow set on a classified task opens nothing
        self.env.cr.execute(
            "UPDATE hy_task SET access_token = 'leaked' WHERE id = %s", [self.task_secret.id]
        )
        self.env.invalidate_all()
        response = self._get(f"/my/hy_tasks/{self.task_secret.id}?access_token=leaked")
        self.assertEqual(response.status_code, 404)
        # a logged-in member of another unit gets the read-only page, without any action
        self._login(self.portal_b)
        page = self._get(f"/my/hy_tasks/{self.task_open.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('name="submission_key"', page.text)
        response = self._post(self.task_open, "accept", {"access_token": token})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.task_open.state, "assigned")


@tagged("post_install", "-at_install")
class TestPortalActions(TestPortalCommon):
    def _follow(self, response):
        self.assertEqual(response.status_code, 303, response.text[:2000])
        return self._get(response.headers["Location"])

    def test_accept_then_a_second_submit_is_harmless(self):
        self._login(self.portal_a)
        response = self._post(self.task_open, "accept")
        self.assertTrue(response.headers["Location"].endswith(f"/my/hy_tasks/{self.task_open.id}"))
        page = self._follow(response)
        self.assertIn("Task accepted", page.text)
        self.assertEqual(self.task_open.state, "in_progress")
        # the flash message is shown once
        self.assertNotIn("Task accepted", self._get(f"/my/hy_tasks/{self.task_open.id}").text)
        page = self._follow(self._post(self.task_open, "accept"))
        self.assertIn("The task was already accepted.", page.text)

    def test_return_needs_a_reason(self):
        self._login(self.portal_a)
        response = self._post(self.task_open, "return", {"reason": "   "})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Please give the reason for returning the task.", response.text)
        self.assertEqual(self.task_open.state, "assigned")
        page = self._follow(
            self._post(self.task_open, "return", {"reason": "Không thuộc chức năng của Sở"})
        )
        self.assertIn("returned to the Provincial Office", page.text)
        self.assertEqual(self.task_open.state, "returned")
        self.assertEqual(self.task_open.return_reason, "Không thuộc chức năng của Sở")
        self.assertIn("Không thuộc chức năng của Sở", page.text)
        self.assertNotIn(f'action="/my/hy_tasks/{self.task_open.id}/', page.text)

    def test_report_done_validates_date_and_result(self):
        self._login(self.portal_a)
        task = self.task_due_soon
        tomorrow = (self.today + timedelta(days=1)).isoformat()
        cases = [
            ({"date_done": "", "result": "Xong"}, "Please give the date the task was done."),
            ({"date_done": "31/02/2026", "result": "Xong"}, "Please enter a valid date"),
            ({"date_done": tomorrow, "result": "Xong"}, "The date done cannot be in the future."),
            (
                {"date_done": (self.today - timedelta(days=30)).isoformat(), "result": "Xong"},
                "cannot be before the task was assigned",
            ),
            ({"date_done": self.today.isoformat(), "result": " "}, "Please describe the result."),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self._post(task, "done", data)
                self.assertEqual(response.status_code, 422)
                self.assertIn(message, response.text)
                # the form stays open with what was typed
                self.assertIn('id="hy_form_done"', response.text)
                self.assertIn('id="hy_form_done" class="collapse show"', response.text)
        self.env.invalidate_all()
        self.assertEqual(task.state, "in_progress")
        page = self._follow(
            self._post(
                task,
                "done",
                {"date_done": self.today.strftime("%d/%m/%Y"), "result": "Đã rà soát xong"},
            )
        )
        self.assertIn("Completion reported", page.text)
        self.assertEqual((task.state, task.date_done, task.progress), ("done", self.today, 100))
        self.assertEqual(task.result, "Đã rà soát xong")
        self.assertIn(
            "Completion was already reported.",
            self._follow(
                self._post(task, "done", {"date_done": self.today.isoformat(), "result": "Lần 2"})
            ).text,
        )
        self.assertEqual(task.result, "Đã rà soát xong")

    def test_report_done_keeps_what_was_typed_on_error(self):
        self._login(self.portal_a)
        response = self._post(
            self.task_overdue, "done", {"date_done": "", "result": "Kết quả <b>đậm</b>"}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("Kết quả &lt;b&gt;đậm&lt;/b&gt;", response.text)
        self.assertEqual(self.task_overdue.state, "assigned")

    def test_extension_request_validation_and_double_submit(self):
        self._login(self.portal_a)
        task = self.task_open
        before = (task.deadline - timedelta(days=1)).isoformat()
        later = (task.deadline + timedelta(days=30)).isoformat()
        response = self._post(task, "extension", {"new_deadline": before, "reason": "Chờ số liệu"})
        self.assertEqual(response.status_code, 422)
        self.assertIn("must be after the current deadline", response.text)
        response = self._post(task, "extension", {"new_deadline": later, "reason": ""})
        self.assertEqual(response.status_code, 422)
        self.assertIn("Please give the reason for the extension.", response.text)
        response = self._post(task, "extension", {"new_deadline": "", "reason": "x"})
        self.assertEqual(response.status_code, 422)
        self.assertFalse(task.extension_ids)
        page = self._follow(
            self._post(task, "extension", {"new_deadline": later, "reason": "Chờ số liệu"})
        )
        self.assertIn("Extension requested", page.text)
        self.assertEqual(len(task.extension_ids), 1)
        self.assertEqual(task.extension_ids.reason, "Chờ số liệu")
        # the history shows it, and the request form is gone while it waits
        reader = self.env(context={"lang": self.portal_a.lang})
        self.assertIn(format_date(reader, task.deadline + timedelta(days=30)), page.text)
        self.assertNotIn('id="hy_form_extension"', page.text)
        page = self._follow(
            self._post(task, "extension", {"new_deadline": later, "reason": "Chờ số liệu"})
        )
        self.assertIn("already waiting for a decision", page.text)
        self.assertEqual(len(task.extension_ids), 1)

    def test_progress_update_with_attachment(self):
        self._login(self.portal_a)
        task = self.task_open
        page = self._get(f"/my/hy_tasks/{task.id}")
        key = re.search(r'name="submission_key" value="(\w+)"', page.text)[1]
        response = self._post(
            task,
            "update",
            {"progress": "40", "note": "Đã số hóa 40% hồ sơ", "submission_key": key},
            files={"attachments": ("bao_cao.pdf", PDF, "application/pdf")},
        )
        page = self._follow(response)
        self.assertIn("Progress update posted.", page.text)
        update = self.env["hy.task.update"].search([("task_id", "=", task.id)])
        self.assertEqual(len(update), 1)
        self.assertEqual((update.progress, update.role, update.unit_id), (40, "lead", self.unit_a))
        self.assertEqual(update.author_id, self.portal_a)
        self.assertEqual(update.attachment_ids.name, "bao_cao.pdf")
        self.assertEqual(
            (update.attachment_ids.res_model, update.attachment_ids.res_id), ("hy.task", task.id)
        )
        # posting progress on an assigned task accepts it, and the Office reads it in the chatter
        self.assertEqual((task.progress, task.state), (40, "in_progress"))
        note = task.message_ids.filtered(lambda m: "Đã số hóa 40% hồ sơ" in (m.body or ""))
        self.assertEqual(note.attachment_ids, update.attachment_ids)
        # the unit downloads the file with its token
        link = re.search(
            r'href="(/web/content/\d+\?download=true&amp;access_token=[\w-]+)"', page.text
        )
        self.assertTrue(link)
        download = self.url_open(link[1].replace("&amp;", "&"))
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, PDF)
        # another unit does not
        self._login(self.portal_b)
        self.assertEqual(
            self.url_open(f"/web/content/{update.attachment_ids.id}?download=true").status_code,
            404,
        )

    def test_progress_update_double_submit_records_one_update(self):
        self._login(self.portal_a)
        task = self.task_due_soon
        data = {"progress": "60", "note": "Đã họp lấy ý kiến", "submission_key": "a1b2c3"}
        first = self._post(task, "update", data)
        second = self._post(task, "update", data)
        self.assertEqual(first.status_code, 303)
        self.assertEqual(second.status_code, 303)
        self.assertIn("This update was already recorded.", self._follow(second).text)
        self.assertEqual(self.env["hy.task.update"].search_count([("task_id", "=", task.id)]), 1)
        # a new form is a new update
        self._post(task, "update", dict(data, submission_key="d4e5f6"))
        self.assertEqual(self.env["hy.task.update"].search_count([("task_id", "=", task.id)]), 2)

    def test_double_submit_racing_on_the_unique_key(self):
        """Two requests at once both pass the look-up; the database keeps one."""
        task = self.task_due_soon.with_user(self.portal_a)
        Update = self.env["hy.task.update"].with_user(self.portal_a)
        Update._post_update(task, 10, "Lần 1", submission_key="same")
        with (
            patch.object(type(Update), "search_count", return_value=0),
            self.assertRaises(Exception) as caught,
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            Update._post_update(task, 10, "Lần 1", submission_key="same")
        self.assertIn("submission_key_unique", str(caught.exception))

    def test_progress_update_validation(self):
        self._login(self.portal_a)
        task = self.task_due_soon
        cases = [
            ({"progress": "120", "note": "x"}, None, "between 0 and 100"),
            ({"progress": "abc", "note": "x"}, None, "between 0 and 100"),
            ({"progress": "50", "note": "  "}, None, "Please describe the progress made."),
            (
                {"progress": "50", "note": "x"},
                {"attachments": ("virus.exe", b"MZ\x90\x00", "application/octet-stream")},
                "only these types are accepted",
            ),
            (
                {"progress": "50", "note": "x"},
                {"attachments": ("trang.html", b"<html><script></script></html>", "text/html")},
                "only these types are accepted",
            ),
            (
                {"progress": "50", "note": "x"},
                {"attachments": ("gia.pdf", b"<html><script></script></html>", "application/pdf")},
                "is not an accepted document type",
            ),
            (
                {"progress": "50", "note": "x"},
                {"attachments": ("rong.pdf", b"", "application/pdf")},
                "is empty",
            ),
        ]
        for data, files, message in cases:
            with self.subTest(message=message, files=files and files["attachments"][0]):
                response = self._post(task, "update", data, files=files)
                self.assertEqual(response.status_code, 422)
                self.assertIn(message, response.text)
        with (
            patch.object(hy_task_update, "MAX_FILE_SIZE", 1024),
            patch.object(hy_portal, "MAX_FILE_SIZE", 1024),
        ):
            response = self._post(
                task,
                "update",
                {"progress": "50", "note": "x"},
                files={"attachments": ("lon.pdf", PDF + b" " * 2048, "application/pdf")},
            )
        self.assertEqual(response.status_code, 422)
        self.assertIn("is larger than", response.text)
        self.assertFalse(self.env["hy.task.update"].search([("task_id", "=", task.id)]))
        self.assertFalse(
            self.env["ir.attachment"].search(
                [
                    ("res_model", "in", ("hy.task", "mail.compose.message")),
                    ("res_id", "in", (0, task.id)),
                ]
            )
        )

    def test_classified_task_records_the_percentage_only(self):
        self._login(self.portal_a)
        task = self.task_secret
        response = self._post(
            task,
            "update",
            {"progress": "30", "note": "Nội dung mật"},
            files={"attachments": ("mat.pdf", PDF, "application/pdf")},
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("No file may be attached", response.text)
        self._follow(self._post(task, "update", {"progress": "30", "note": "Nội dung mật"}))
        update = self.env["hy.task.update"].search([("task_id", "=", task.id)])
        self.assertEqual((update.progress, update.note), (30, False))
        self.assertEqual(task.progress, 30)
        self.assertFalse(task.message_ids.filtered(lambda m: "Nội dung mật" in (m.body or "")))
        # the model refuses content whoever writes it
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["hy.task.update"].create(
                {"task_id": task.id, "progress": 40, "note": "Nội dung mật"}
            )
        # completion without result detail
        self._follow(self._post(task, "done", {"date_done": self.today.isoformat()}))
        self.assertEqual((task.state, task.result), ("done", False))

    def test_coordinating_unit_posts_updates_but_cannot_report_or_return(self):
        self._login(self.portal_a)
        task = self.task_b_with_a
        page = self._get(f"/my/hy_tasks/{task.id}")
        self.assertIn(f'action="/my/hy_tasks/{task.id}/update"', page.text)
        for action in ("accept", "done", "extension", "return"):
            self.assertNotIn(f'action="/my/hy_tasks/{task.id}/{action}"', page.text)
        for action, data in (
            ("done", {"date_done": self.today.isoformat(), "result": "Xong"}),
            ("return", {"reason": "Không phải của chúng tôi"}),
            ("extension", {"new_deadline": "2099-01-01", "reason": "x"}),
            ("accept", {}),
        ):
            with self.subTest(action=action):
                response = self._post(task, action, data)
                self.assertEqual(response.status_code, 403)
                self.assertIn("Only the lead unit can do this", response.text)
        self.env.invalidate_all()
        self.assertEqual((task.state, task.extension_ids.ids), ("in_progress", []))
        self._follow(self._post(task, "update", {"progress": "80", "note": "Đã gửi ý kiến"}))
        update = self.env["hy.task.update"].search([("task_id", "=", task.id)])
        self.assertEqual((update.role, update.unit_id), ("support", self.unit_a))
        # the lead unit's progress is theirs to set
        self.assertEqual(task.progress, 0)
        # the lead unit sees the coordinating unit's update
        self._login(self.portal_b)
        self.assertIn("Đã gửi ý kiến", self._get(f"/my/hy_tasks/{task.id}").text)


@tagged("post_install", "-at_install")
class TestPortalModel(TestPortalCommon):
    def test_updates_follow_the_task_rules_and_are_never_rewritten(self):
        Update = self.env["hy.task.update"]
        update = Update.with_user(self.portal_a)._post_update(self.task_open, 20, "Đang làm")
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            update.with_user(self.portal_b).read(["note"])
        with self.assertRaises(AccessError):
            update.with_user(self.portal_a).write({"note": "Sửa lại"})
        with self.assertRaises(AccessError):
            Update.with_user(self.portal_b)._post_update(self.task_open, 20, "Không phải")
        self.assertEqual(update.with_user(self.officer).note, "Đang làm")

    def test_no_update_on_tasks_that_are_not_being_worked_on(self):
        self.task_open.with_user(self.user_a)._return_to_office("Sai đơn vị")
        with self.assertRaisesRegex(Exception, "not being worked on"):
            self.env["hy.task.update"].with_user(self.portal_a)._post_update(
                self.task_open, 20, "Đang làm"
            )

    def test_portal_members_return_and_ask_for_extensions(self):
        """The notes these steps post are authored by a portal user: mail refuses internal
        notes of message_type "comment" from non-internal users, so they must be logged as
        notifications (or with _message_log) when the author is a portal user."""
        task = self.task_open.with_user(self.portal_a)
        try:
            self.env["hy.task.extension"].with_user(self.portal_a).create(
                {
                    "task_id": task.id,
                    "new_deadline": task.deadline + timedelta(days=10),
                    "reason": "Chờ số liệu",
                }
            )
            task._return_to_office("Không thuộc chức năng của Sở")
        except AccessError as error:
            self.fail(f"A portal member of the lead unit cannot return the task: {error}")
        self.assertEqual(self.task_open.state, "returned")

    def test_portal_wizard_makes_the_contact_a_member_of_its_unit(self):
        company = self.env["res.partner"].create({"name": "Sở Nội vụ", "is_company": True})
        self.unit_a.partner_id = company
        contact = self.env["res.partner"].create(
            {"name": "Lê Văn Bình", "email": "lvbinh@snv.example.com", "parent_id": company.id}
        )
        wizard = self.env["portal.wizard"].with_context(active_ids=company.ids).create({})
        line = wizard.user_ids.filtered(lambda u: u.partner_id == contact)
        with patch.object(type(line), "_send_email", return_value=True):
            line.action_grant_access()
        user = contact.user_ids
        self.assertTrue(user._is_portal())
        self.assertIn(user, self.unit_a.user_ids)
        self.assertIn(self.task_open, self.env["hy.task"].with_user(user).search([]))
        line.action_revoke_access()
        self.assertNotIn(user, self.unit_a.with_context(active_test=False).user_ids)


@tagged("post_install", "-at_install", "is_query_count")
class TestPortalQueries(TestPortalCommon):
    def _fake_request(self, user):
        env = self.env(user=user)
        return SimpleNamespace(env=env, session={})

    def _count_list_queries(self, user, page_size):
        fake = self._fake_request(user)
        controller = hy_portal.HyTaskPortal()
        with (
            patch.object(hy_portal, "request", fake),
            patch.object(odoo_portal, "request", fake),
            patch.object(hy_portal.HyTaskPortal, "_hy_items_per_page", page_size),
        ):
            # warm the ormcaches (rules, groups, translations) with an empty record cache, so
            # that every record is fetched, as the user, as in a real request
            fake.env.invalidate_all()
            controller._prepare_hy_tasks_values()
            fake.env.invalidate_all()
            self.env.flush_all()
            start = self.cr.sql_log_count
            values = controller._prepare_hy_tasks_values()
            return self.cr.sql_log_count - start, values

    def _add_tasks(self, count):
        self.env["hy.task"].with_context(tracking_disable=True).create(
            [
                {
                    "directive_id": (self.directive_p | self.directive_gov)[index % 2].id,
                    "name": f"Nhiệm vụ số {index}",
                    "lead_unit_id": self.unit_a.id,
                    "support_unit_ids": [(6, 0, self.unit_b.ids)] if index % 3 else [],
                    "state": "in_progress" if index % 2 else "assigned",
                    "deadline": self.today + timedelta(days=index % 40 - 20),
                    "progress": index % 100,
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()

    def _count_page_queries(self, url):
        self.url_open(url)  # warm the ormcaches and the assets
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - start

    def test_list_queries_do_not_grow_with_the_number_of_tasks(self):
        self._add_tasks(15)  # 20 tasks in all for unit A
        small, values = self._count_list_queries(self.portal_a, 1000)
        self.assertEqual(len(values["tasks"]), 20)
        self._login(self.portal_a)
        http_small = self._count_page_queries("/my/hy_tasks")
        self._add_tasks(480)  # 500 tasks
        large, values = self._count_list_queries(self.portal_a, 1000)
        self.assertEqual(len(values["tasks"]), 500)
        http_large = self._count_page_queries("/my/hy_tasks")
        _logger.info(
            "Queries of the task list: %s for 20 rows, %s for 500 rows; whole request: %s with "
            "20 tasks, %s with 500 tasks",
            small,
            large,
            http_small,
            http_large,
        )
        self.assertEqual(large, small)
        # With the Office calendar, read once for the page, the days the Office held the
        # overdue tasks (the ledger, once), and the access log of the classified task the list
        # shows (its label and one INSERT).
        self.assertLessEqual(small, 17)
        # same 20 rows per page; the page of 500 may need fewer related records (one lead unit)
        self.assertLessEqual(http_large, http_small)
        # one page of 20 out of 500: at most as many (a page may need fewer related records)
        paged, values = self._count_list_queries(self.portal_a, 20)
        self.assertEqual(len(values["tasks"]), 20)
        self.assertLessEqual(paged, small)
