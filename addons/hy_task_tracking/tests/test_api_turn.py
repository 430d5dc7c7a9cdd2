from datetime import timedelta

from odoo.tests import tagged

from ..controllers.api import decode_cursor, encode_cursor
from .test_api import TestApiCommon

RESULT = "Đã ban hành Kế hoạch số 12/KH-SNV"


@tagged("post_install", "-at_install")
class TestApiTurn(TestApiCommon):
    """Reported is not done, and whose turn it is, as the API tells them: in the task's
    answer and as events of the status feed (format 1.2)."""

    def _cursor(self):
        """A cursor after every change recorded so far, as format 1.1 made them."""
        Ledger = self.env["hy.task.ledger"].sudo()  # sudo: the test reads the last entry id
        last = Ledger.with_context(active_test=False).search([], order="id desc", limit=1)
        return encode_cursor("ledger", last.id)

    def _events(self, task, cursor):
        """The items of ``task`` the feed gives after ``cursor`` (every page), the last cursor."""
        items, has_more = [], True
        while has_more:
            response = self._api(
                "GET", f"/status-changes?limit=50&cursor={cursor}", key=self.key_officer
            )
            self.assertEqual(response.status_code, 200, response.text)
            page = response.json()
            self._check_schema(page, "StatusChangePage")
            self.assertEqual(page["format"], "hy.status-changes/1.3")
            items += [item for item in page["items"] if item["task_reference"] == task.reference]
            cursor, has_more = page["next_cursor"], page["has_more"]
        return items, cursor

    @staticmethod
    def _brief(items):
        return [
            (i["event"], i["old_state"], i["new_state"], i["with_office"], i["office_wait"])
            for i in items
        ]

    def _get(self, task, key=None):
        response = self._api("GET", f"/tasks/{task.reference}", key=key or self.key_officer)
        self.assertEqual(response.status_code, 200, response.text)
        self._check_schema(response.json(), "Task")
        return response.json()

    def _act(self, task, action, body=None):
        response = self._api("POST", f"/tasks/{task.reference}/{action}", body, self.key_a)
        self.assertEqual(response.status_code, 200, response.text)
        self._check_schema(response.json(), "UnitActionResult")
        return response.json()["task"]

    def _report(self, task):
        body = {"date_done": self.today.isoformat(), "result": RESULT}
        return self._act(task, "completion", body)

    def test_a_reported_result_is_not_done_until_the_office_confirms(self):
        task = self.task_a
        start = self._cursor()
        data = self._report(task)
        self.assertEqual(
            (data["state"], data["status_category"], data["progress_status"]),
            ("done", "done_on_time", "done_unconfirmed"),
            "the national category counts the result by its date; reported is not done",
        )
        self.assertEqual((data["with_office"], data["office_wait"]), (True, "confirmation"))
        self.assertEqual(data["office_due"], task.office_due.isoformat())
        self.assertEqual(self._get(task)["progress_status"], "done_unconfirmed")
        items, cursor = self._events(task, start)
        self.assertEqual(
            self._brief(items),
            [
                ("state", "assigned", "in_progress", False, None),
                ("state", "in_progress", "done", True, "confirmation"),
                ("with_office", "done", "done", True, "confirmation"),
            ],
        )
        self.assertEqual({i["progress_status"] for i in items}, {"done_unconfirmed"})
        self.assertEqual({i["status_category"] for i in items}, {"done_on_time"})
        self.assertEqual(decode_cursor(cursor, 2)[0], "ledger", "cursors as in format 1.1")

        task.with_user(self.manager)._evaluate_and_confirm("good", "Đạt yêu cầu")
        items, _cursor = self._events(task, cursor)
        self.assertEqual(
            self._brief(items),
            [
                ("confirmed", "done", "done", False, None),
                ("with_office", "done", "done", False, None),
            ],
        )
        self.assertEqual({i["progress_status"] for i in items}, {"done_on_time"})
        data = self._get(task)
        self.assertEqual(
            (data["progress_status"], data["with_office"], data["office_wait"], data["office_due"]),
            ("done_on_time", False, None, None),
        )

    def test_sending_a_result_back_is_an_event_of_its_own(self):
        task = self.task_a
        self._report(task)
        start = self._cursor()
        task.with_user(self.officer)._send_back("Kết quả chưa kèm văn bản ban hành")
        items, cursor = self._events(task, start)
        self.assertEqual(
            self._brief(items),
            [
                ("sent_back", "done", "in_progress", False, None),
                ("with_office", "in_progress", "in_progress", False, None),
            ],
        )
        self.assertEqual({i["progress_status"] for i in items}, {"in_progress_on_time"})
        data = self._get(task)
        self.assertEqual(
            (data["state"], data["date_done"], data["result"], data["progress_status"]),
            ("in_progress", None, None, "in_progress_on_time"),
        )
        # A confirmed result sent back: its confirmation goes with the send-back, not apart.
        self._report(task)
        task.with_user(self.manager)._evaluate_and_confirm("good", "Đạt yêu cầu")
        cursor = self._cursor()
        task.with_user(self.officer)._send_back("Cần bổ sung số liệu quý IV")
        items, _cursor = self._events(task, cursor)
        self.assertEqual(self._brief(items), [("sent_back", "done", "in_progress", False, None)])

    def test_returning_and_asking_for_time_give_the_turn_to_the_office(self):
        task = self.task_a
        start = self._cursor()
        data = self._act(task, "return", {"reason": "Nhiệm vụ thuộc thẩm quyền của Sở Tài chính"})
        self.assertEqual((data["with_office"], data["office_wait"]), (True, "return"))
        self.assertTrue(data["office_due"])
        items, cursor = self._events(task, start)
        self.assertEqual(
            self._brief(items),
            [
                ("state", "assigned", "returned", True, "return"),
                ("with_office", "returned", "returned", True, "return"),
            ],
        )
        self.assertEqual({i["progress_status"] for i in items}, {"not_started_on_time"})
        task.with_user(self.officer).action_assign()  # back to its unit
        items, cursor = self._events(task, cursor)
        self.assertEqual(
            self._brief(items),
            [
                ("state", "returned", "assigned", False, None),
                ("with_office", "assigned", "assigned", False, None),
            ],
        )
        later = (task.deadline + timedelta(days=30)).isoformat()
        body = {"new_deadline": later, "reason": "Chờ ý kiến của Bộ Nội vụ"}
        data = self._act(task, "extension-request", body)
        self.assertEqual((data["with_office"], data["office_wait"]), (True, "extension"))
        items, cursor = self._events(task, cursor)
        self.assertEqual(
            self._brief(items), [("with_office", "assigned", "assigned", True, "extension")]
        )
        task.extension_ids.with_user(self.officer).action_refuse("Chưa có căn cứ gia hạn")
        items, _cursor = self._events(task, cursor)
        self.assertEqual(self._brief(items), [("with_office", "assigned", "assigned", False, None)])
        self.assertFalse(self._get(task)["with_office"])

    def test_a_classified_task_tells_its_status_without_its_content(self):
        secret = self._task(
            unit=self.unit_a, state="in_progress", directive_id=self.directive_conf.id, name=False
        )
        start = self._cursor()
        answer = self._act(secret, "completion", {"date_done": self.today.isoformat()})
        for data in (answer, self._get(secret)):
            self.assertEqual(
                (data["progress_status"], data["with_office"], data["office_wait"]),
                ("done_unconfirmed", True, "confirmation"),
            )
            self.assertTrue(data["office_due"])
            self.assertFalse({"name", "result", "return_reason"} & set(data))
        items, _cursor = self._events(secret, start)
        self.assertEqual(
            [(i["event"], i["progress_status"]) for i in items],
            [("state", "done_unconfirmed"), ("with_office", "done_unconfirmed")],
        )
