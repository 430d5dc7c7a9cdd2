from datetime import date, timedelta

from odoo.tests import freeze_time, tagged

from ..controllers.api import encode_cursor
from .common import TestHyCommon
from .test_api import TestApiCommon


def _dispatch(env, unit, number, day, state="sent"):
    """An urging dispatch to ``unit``, sent on ``day`` with ``number``: as the Office's
    sending leaves it (its own workflow is tested with it), made by the superuser."""
    Dispatch = env["hy.urge.dispatch"].sudo()  # sudo: the test writes number and state
    dispatch = Dispatch.create(
        {
            "unit_id": unit.id,
            "reply_date": day + timedelta(days=10),
            "subject": "V/v đôn đốc thực hiện nhiệm vụ",
        }
    )
    if state == "sent":
        dispatch.write({"number": number, "state": "sent", "date": day})
    return dispatch.with_env(env)


@tagged("post_install", "-at_install")
class TestUrgeCountsApi(TestApiCommon):
    """The API tells how often a task was urged and what information waits for its unit, in
    the task's answer and as events of the status feed (format 1.3); numbers only for a
    classified task."""

    def _get(self, task, key=None):
        response = self._api("GET", f"/tasks/{task.reference}", key=key or self.key_officer)
        self.assertEqual(response.status_code, 200, response.text)
        self._check_schema(response.json(), "Task")
        return response.json()

    def _feed_after(self, cursor):
        response = self._api(
            "GET", f"/status-changes?limit=200&cursor={cursor}", key=self.key_officer
        )
        self.assertEqual(response.status_code, 200, response.text)
        page = response.json()
        self._check_schema(page, "StatusChangePage")
        self.assertEqual(page["format"], "hy.status-changes/1.3")
        return page["items"]

    def _cursor(self):
        Ledger = self.env["hy.task.ledger"].sudo()  # sudo: the test reads the last entry id
        Ledger = Ledger.with_context(active_test=False)
        return encode_cursor("ledger", Ledger.search([], order="id desc", limit=1).id)

    def test_the_task_tells_its_urges_and_open_requests(self):
        data = self._get(self.task_a)
        self.assertEqual(
            (data["urge_count"], data["last_urge_date"], data["open_info_request_count"]),
            (0, None, 0),
        )
        dispatch = _dispatch(self.env, self.unit_a, "07/VP-TH", self.today)
        self.task_a._hy_record_urge("dispatch", {self.task_a.id: dispatch.id})
        self.task_a._hy_record_urge("phone")
        self.env["hy.task.info.request"].with_user(self.officer).create(
            {
                "task_id": self.task_a.id,
                "question": "Đề nghị gửi báo cáo tiến độ",
                "due_date": self.today + timedelta(days=7),
            }
        )
        self.env.flush_all()
        data = self._get(self.task_a, self.key_a)
        self.assertEqual(data["urge_count"], 2)
        self.assertEqual(data["last_urge_date"], self.today.isoformat())
        self.assertEqual(data["open_info_request_count"], 1)
        # The list of tasks too.
        response = self._api("GET", "/tasks?limit=200", key=self.key_a)
        self.assertEqual(response.status_code, 200, response.text)
        [listed] = [t for t in response.json()["items"] if t["reference"] == self.task_a.reference]
        self.assertEqual((listed["urge_count"], listed["open_info_request_count"]), (2, 1))

    def test_a_classified_task_gives_its_numbers_only(self):
        secret = self._task(unit=self.unit_a, state="assigned", directive_id=self.directive_conf.id,
                            name=False)  # fmt: skip
        secret._hy_record_urge("meeting")
        self.env["hy.task.info.request"].with_user(self.officer).create(
            {"task_id": secret.id, "due_date": self.today + timedelta(days=3)}
        )
        self.env.flush_all()
        data = self._get(secret)
        self.assertEqual((data["urge_count"], data["open_info_request_count"]), (1, 1))
        self.assertNotIn("name", data)
        self.assertNotIn("question", str(data))

    def test_the_feed_tells_urges_requests_and_answers(self):
        cursor = self._cursor()
        dispatch = _dispatch(self.env, self.unit_a, "08/VP-TH", self.today)
        self.task_a._hy_record_urge("dispatch", {self.task_a.id: dispatch.id})
        self.task_b._hy_record_urge("phone")
        due = self.today + timedelta(days=5)
        request = (
            self.env["hy.task.info.request"]
            .with_user(self.officer)
            .create({"task_id": self.task_a.id, "question": "Gửi danh mục hồ sơ", "due_date": due})
        )
        request.with_user(self.user_a)._hy_answer("Đã gửi danh mục hồ sơ kèm theo")
        self.env.flush_all()
        items = self._feed_after(cursor)
        brief = [
            (
                i["task_reference"],
                i["event"],
                i["urge_channel"],
                i["dispatch_number"],
                i["info_date"],
                i["old_state"] == i["new_state"],
            )
            for i in items
            if i["event"] in ("urge", "info_request", "info_answer")
        ]
        self.assertEqual(
            brief,
            [
                (self.task_a.reference, "urge", "dispatch", "08/VP-TH", None, True),
                (self.task_b.reference, "urge", "phone", None, None, True),
                (self.task_a.reference, "info_request", None, None, due.isoformat(), True),
                (
                    self.task_a.reference,
                    "info_answer",
                    None,
                    None,
                    self.today.isoformat(),
                    True,
                ),
            ],
        )
        # Units do not read the feed.
        response = self._api("GET", "/status-changes", key=self.key_a)
        self.assertEqual(response.status_code, 403, response.text)

    def test_the_document_describes_the_new_fields(self):
        response = self._api("GET", "/openapi.json")
        self.assertEqual(response.status_code, 200, response.text)
        document = response.json()
        schemas = document["components"]["schemas"]
        # Described since 1.4.0, and by every later version.
        version = tuple(int(part) for part in document["info"]["version"].split("."))
        self.assertGreaterEqual(version, (1, 4, 0))
        for name in ("urge_count", "last_urge_date", "open_info_request_count"):
            self.assertIn(name, schemas["Task"]["properties"])
        change = schemas["StatusChange"]["properties"]
        self.assertTrue({"urge", "info_request", "info_answer"} <= set(change["event"]["enum"]))
        self.assertEqual(
            set(change["urge_channel"]["anyOf"][0]["enum"]), {"dispatch", "phone", "meeting"}
        )


@tagged("post_install", "-at_install")
class TestUrgeCountsOverview(TestHyCommon):
    """The overview's line for urging: tasks urged and dispatches sent this month (Hà Nội),
    requests for information awaiting an answer and those past their date; each opens
    exactly what it counts, as the user reads it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-05-04 03:00:00"):
            cls.a_may = cls._task(unit=cls.unit_a, state="in_progress")
            cls.a_june = cls._task(unit=cls.unit_a, state="in_progress")
            cls.b_june = cls._task(unit=cls.unit_b, state="assigned")
            cls.quiet = cls._task(unit=cls.unit_a, state="assigned")
        # Urged in May only; in May and June; in June (B).
        with freeze_time("2026-05-29 03:00:00"):
            (cls.a_may | cls.a_june)._hy_record_urge("phone")
            cls.dispatch_may = _dispatch(cls.env, cls.unit_a, "11/VP-TH", date(2026, 5, 29))
        # 31/05 at 23:30 in Hà Nội: still May.
        with freeze_time("2026-05-31 16:30:00"):
            cls.a_may._hy_record_urge("meeting")
        # 01/06 at 00:30 in Hà Nội: June.
        with freeze_time("2026-05-31 17:30:00"):
            cls.a_june._hy_record_urge("meeting")
        with freeze_time("2026-06-05 03:00:00"):
            cls.dispatch_a = _dispatch(cls.env, cls.unit_a, "15/VP-TH", date(2026, 6, 5))
            cls.b_june._hy_record_urge("dispatch")
            cls.dispatch_b = _dispatch(cls.env, cls.unit_b, "16/VP-TH", date(2026, 6, 5))
            _dispatch(cls.env, cls.unit_a, False, date(2026, 6, 5), state="draft")
        Request = cls.env["hy.task.info.request"].with_user(cls.officer)
        with freeze_time("2026-06-01 03:00:00"):
            cls.past_due = Request.create(
                {"task_id": cls.a_june.id, "question": "Gửi số liệu", "due_date": date(2026, 6, 10)}
            )
            cls.waiting = Request.create(
                {"task_id": cls.quiet.id, "question": "Gửi kế hoạch", "due_date": date(2026, 6, 25)}
            )
            cls.b_request = Request.create(
                {"task_id": cls.b_june.id, "question": "Gửi dự toán", "due_date": date(2026, 6, 12)}
            )
            answered = Request.create(
                {"task_id": cls.a_may.id, "question": "Gửi báo cáo", "due_date": date(2026, 6, 3)}
            )
        with freeze_time("2026-06-02 03:00:00"):
            answered.with_user(cls.user_a)._hy_answer("Đã gửi báo cáo")
        cls.env.flush_all()

    def _urging(self, user):
        with freeze_time("2026-06-20 03:00:00"):
            overview = self.env["hy.task.overview"].with_user(user).with_context(lang=user.lang)
            return overview.get_overview()["urging"]

    def _opens(self, user, action):
        """The records a click on ``action`` lists, as ``user``."""
        with freeze_time("2026-06-20 03:00:00"):
            return self.env[action["res_model"]].with_user(user).search(action["domain"])

    def test_the_office_sees_the_province(self):
        urging = self._urging(self.leader)
        self.assertEqual(urging["urged_count"], 2)
        self.assertEqual(
            self._opens(self.leader, urging["urged_action"]), self.a_june | self.b_june
        )
        self.assertEqual(urging["dispatch_count"], 2)
        self.assertEqual(
            self._opens(self.leader, urging["dispatch_action"]), self.dispatch_a | self.dispatch_b
        )
        self.assertEqual(
            (urging["info_request_count"], urging["info_request_overdue_count"]), (3, 2)
        )
        self.assertEqual(
            self._opens(self.leader, urging["info_request_action"]),
            self.past_due | self.waiting | self.b_request,
        )
        self.assertEqual(
            self._opens(self.leader, urging["info_request_overdue_action"]),
            self.past_due | self.b_request,
        )

    def test_a_unit_sees_its_own(self):
        urging = self._urging(self.user_a)
        self.assertEqual(urging["urged_count"], 1)
        self.assertEqual(self._opens(self.user_a, urging["urged_action"]), self.a_june)
        self.assertEqual(urging["dispatch_count"], 1)
        self.assertEqual(self._opens(self.user_a, urging["dispatch_action"]), self.dispatch_a)
        self.assertEqual(
            (urging["info_request_count"], urging["info_request_overdue_count"]), (2, 1)
        )
        self.assertEqual(
            self._opens(self.user_a, urging["info_request_overdue_action"]), self.past_due
        )

    def test_the_counts_cost_the_same_whatever_their_number(self):
        # One query for each figure, as many for many requests as for a few.
        Overview = self.env["hy.task.overview"].with_user(self.leader)
        with freeze_time("2026-06-20 03:00:00"):
            Overview._urging_line(date(2026, 6, 20))  # warm the caches (rules, groups)
            self.env.invalidate_all()
            with self.assertQueryCount(3):
                Overview._urging_line(date(2026, 6, 20))
            with freeze_time("2026-06-01 03:00:00"):
                self.env["hy.task.info.request"].with_user(self.officer).create(
                    [
                        {"task_id": task.id, "question": "Gửi số liệu", "due_date": due}
                        for task in (self.a_june, self.quiet, self.b_june)
                        for due in (date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 30))
                    ]
                )
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(3):
                urging = Overview._urging_line(date(2026, 6, 20))
        self.assertEqual(urging["info_request_count"], 12)
