import json
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.api import MAX_BODY_SIZE, decode_cursor, encode_cursor
from ..controllers.api_openapi import openapi_document
from ..models.hy_task import hy_today
from .common import TestHyCommon

try:
    import jsonschema
except ImportError:  # the schema checks below are skipped without it
    jsonschema = None

API = "/api/hy/v1"


class TestApiCommon(TestHyCommon, HttpCase):
    """API keys for an Office officer, units A and B, the leadership; tasks of A and B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = hy_today()
        cls.key_officer = cls._key(cls.officer, "hy_api")
        cls.key_a = cls._key(cls.user_a)
        cls.key_b = cls._key(cls.user_b)
        cls.key_portal_a = cls._key(cls.portal_a)
        cls.key_leader = cls._key(cls.leader)
        cls.task_a = cls._task(unit=cls.unit_a, state="assigned", name="Rà soát thủ tục của Sở")
        cls.task_b = cls._task(unit=cls.unit_b, state="assigned", name="Lập dự toán ngân sách")
        cls.draft_a = cls._task(unit=cls.unit_a, name="Nhiệm vụ chưa giao")
        cls.doc = None

    @classmethod
    def _key(cls, user, scope=None, expiration=None):
        # sudo: only administrators make keys without expiry, as an integration needs
        return (
            cls.env["res.users.apikeys"]
            .with_user(user)
            .sudo()  # sudo: see the comment above
            ._generate(scope, f"test {user.login}", expiration)
        )

    def _api(self, method, path, body=None, key=None, raw=None, ctype="application/json"):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            headers["Content-Type"] = ctype
        response = self.opener.request(
            method, self.base_url() + API + path, data=data, headers=headers, timeout=30
        )
        # the request changed the records in its own environment: read them afresh
        self.env.invalidate_all()
        return response

    def _assert_error(self, response, status, code, field=None):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/json; charset=utf-8")
        error = response.json()["error"]
        self.assertEqual(error["code"], code, error)
        self.assertTrue(error["message"])
        if field is not None:
            self.assertEqual(error.get("field"), field, error)
        self._check_schema(response.json(), "Error")
        return error

    def _check_schema(self, data, name):
        if jsonschema is None:
            return
        if self.doc is None:
            type(self).doc = openapi_document(self.env)
        schema = {"$ref": f"#/components/schemas/{name}", "components": self.doc["components"]}
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)

    def _counts(self):
        env = self.env(su=True, context={"active_test": False})
        return tuple(
            env[model].search_count([])
            for model in (
                "hy.directive",
                "hy.task",
                "hy.task.update",
                "hy.external.reference",
                "mail.message",
            )
        )

    def _payload(self, ref="VB-2026-001", number="15/CT-UBND", level="normal", **directive):
        payload = {
            "system": "vbdh",
            "external_ref": ref,
            "directive": {
                "name": "Chỉ thị",
                "number": number,
                "issue_date": "2026-05-04",
                "signer": "Trần Quốc Văn",
                "authority": "province_chairman",
                "security_level": level,
                "followup_unit_code": self.division.code,
                **directive,
            },
            "tasks": [
                {
                    "external_ref": f"{ref}-1",
                    "name": "Triển khai dịch vụ công trực tuyến toàn trình",
                    "lead_unit_code": self.unit_a.code,
                    "support_unit_codes": [self.unit_b.code],
                    "deadline": "2026-12-31",
                    "kind": "report",
                },
                {
                    "external_ref": f"{ref}-2",
                    "name": "Bố trí kinh phí thực hiện",
                    "lead_unit_code": self.unit_b.code,
                },
            ],
        }
        if level != "normal":
            for task in payload["tasks"]:
                del task["name"]
        return payload


@tagged("post_install", "-at_install")
class TestApiAuth(TestApiCommon):
    def test_openapi_document_is_public_and_complete(self):
        response = self.url_open(f"{API}/openapi.json")
        self.assertEqual(response.status_code, 200)
        doc = response.json()
        self.assertEqual(doc["openapi"], "3.1.0")
        self.assertEqual(
            set(doc["paths"]),
            {
                "/directives",
                "/tasks",
                "/tasks/{reference}",
                "/tasks/{reference}/updates",
                "/tasks/{reference}/accept",
                "/tasks/{reference}/completion",
                "/tasks/{reference}/return",
                "/tasks/{reference}/extension-request",
                "/status-changes",
            },
        )
        refs = []

        def walk(node):
            if isinstance(node, dict):
                refs.extend(v for k, v in node.items() if k == "$ref")
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(doc)
        self.assertTrue(refs)
        for ref in refs:
            target = doc
            for part in ref.removeprefix("#/").split("/"):
                target = target[part]
            self.assertIsInstance(target, dict, ref)
        if jsonschema is not None:
            for schema in doc["components"]["schemas"].values():
                jsonschema.Draft202012Validator.check_schema(schema)

    def test_missing_or_malformed_header_is_401(self):
        for headers in ({}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer"}):
            response = self.opener.get(self.base_url() + f"{API}/tasks", headers=headers)
            self._assert_error(response, 401, "unauthorized")
            self.assertEqual(response.headers.get("WWW-Authenticate"), "Bearer")

    def test_wrong_key_is_401(self):
        self._assert_error(self._api("GET", "/tasks", key="0" * 40), 401, "unauthorized")
        self._assert_error(self._api("GET", "/tasks", key=self.key_a[:-1]), 401, "unauthorized")

    def test_revoked_expired_or_archived_keys_are_401(self):
        key = self._key(self.user_a)
        self.assertEqual(self._api("GET", "/tasks", key=key).status_code, 200)
        keys = self.env["res.users.apikeys"].sudo().search([("user_id", "=", self.user_a.id)])
        keys._remove()
        self._assert_error(self._api("GET", "/tasks", key=key), 401, "unauthorized")
        self._assert_error(self._api("GET", "/tasks", key=self.key_a), 401, "unauthorized")
        expired = self._key(self.user_b, expiration=fields.Datetime.now() - timedelta(minutes=1))
        self._assert_error(self._api("GET", "/tasks", key=expired), 401, "unauthorized")
        self.user_b.active = False
        self._assert_error(self._api("GET", "/tasks", key=self.key_b), 401, "unauthorized")

    def test_key_of_another_scope_is_403(self):
        key = self._key(self.user_a, scope="some_other_use")
        self._assert_error(self._api("GET", "/tasks", key=key), 403, "forbidden")

    def test_a_session_cookie_is_not_a_key(self):
        self.authenticate(self.officer.login, self.officer.login)
        response = self.url_open(f"{API}/tasks")
        self._assert_error(response, 401, "unauthorized")

    def test_every_endpoint_of_the_document_refuses_a_request_without_key(self):
        paths = openapi_document(self.env)["paths"]
        checked = 0
        for path, operations in paths.items():
            url = path.replace("{reference}", self.task_a.reference)
            for method in operations:
                # the wrong method too: the key is checked first, before anything is told
                for verb in {method.upper(), "GET" if method == "post" else "POST"}:
                    with self.subTest(path=path, method=verb):
                        response = self._api(verb, url, {} if verb == "POST" else None)
                        self._assert_error(response, 401, "unauthorized")
                        self.assertEqual(response.headers.get("WWW-Authenticate"), "Bearer")
                        checked += 1
        self.assertEqual(checked, 2 * len(paths))

    def test_the_key_decides_the_user_not_the_session(self):
        # logged in as the Office officer, who reads every task; the key is unit A's
        self.authenticate(self.officer.login, self.officer.login)
        headers = {"Authorization": f"Bearer {self.key_a}"}
        response = self.opener.get(self.base_url() + f"{API}/tasks?limit=200", headers=headers)
        self.assertEqual(response.status_code, 200, response.text)
        references = {item["reference"] for item in response.json()["items"]}
        self.assertIn(self.task_a.reference, references)
        self.assertNotIn(self.task_b.reference, references)
        self.assertNotIn("set-cookie", {name.lower() for name in response.headers})

    def test_groups_decide_what_a_key_may_do(self):
        outsider = new_test_user(self.env, "t_outsider", groups="base.group_user")
        key = self._key(outsider)
        self._assert_error(self._api("GET", "/tasks", key=key), 403, "forbidden")
        body = self._payload()
        for key in (self.key_a, self.key_leader, self.key_portal_a):
            response = self._api("POST", "/directives", body, key=key)
            self._assert_error(response, 403, "forbidden")
        self._assert_error(self._api("GET", "/status-changes", key=self.key_a), 403, "forbidden")
        response = self._api("POST", f"/tasks/{self.task_a.reference}/updates", {}, self.key_leader)
        self._assert_error(response, 403, "forbidden")

    def test_wrong_method_and_unknown_endpoint(self):
        response = self._api("GET", "/directives", key=self.key_officer)
        self._assert_error(response, 405, "method_not_allowed")
        self.assertEqual(response.headers.get("Allow"), "POST")
        self._assert_error(self._api("GET", "/nothing/here", key=self.key_a), 404, "not_found")


@tagged("post_install", "-at_install")
class TestApiDirectives(TestApiCommon):
    def test_create_then_resend_updates_without_duplicates(self):
        before = self._counts()
        payload = self._payload()
        response = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        self._check_schema(answer, "DirectiveResult")
        self.assertTrue(answer["directive"]["created"])
        self.assertEqual([t["created"] for t in answer["tasks"]], [True, True])
        directive = self.env["hy.directive"].browse(answer["directive"]["id"])
        self.assertEqual(directive.number, "15/CT-UBND")
        self.assertEqual(directive.followup_unit_id, self.division)
        task_1, task_2 = directive.task_ids.sorted("sequence_in_directive")
        self.assertEqual(task_1.support_unit_ids, self.unit_b)
        self.assertEqual(task_1.kind, "report")
        self.assertEqual((task_1.state, task_2.deadline), ("draft", False))
        self.assertEqual(task_2.followup_unit_id, self.division)
        created = self._counts()
        self.assertEqual(created[:2], (before[0] + 1, before[1] + 2))

        # the same message again: the same records, nothing new
        again = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(again.status_code, 200, again.text)
        self.assertFalse(again.json()["directive"]["created"])
        self.assertEqual(
            [t["reference"] for t in again.json()["tasks"]], [task_1.reference, task_2.reference]
        )
        self.assertEqual(self._counts(), created)

        # a corrected message updates; a task left out is kept; a new one is added
        payload["directive"]["signer"] = "Nguyễn Hữu Nghĩa"
        payload["tasks"][0]["deadline"] = "2027-01-15"
        payload["tasks"][0]["support_unit_codes"] = []
        payload["tasks"][1] = {
            "external_ref": "VB-2026-001-3",
            "name": "Báo cáo kết quả",
            "lead_unit_code": self.unit_off.code,
        }
        third = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(third.status_code, 200, third.text)
        self.assertEqual([t["created"] for t in third.json()["tasks"]], [False, True])
        self.assertEqual(directive.signer, "Nguyễn Hữu Nghĩa")
        self.assertEqual(str(task_1.deadline), "2027-01-15")
        self.assertFalse(task_1.support_unit_ids)
        self.assertTrue(task_2.exists())
        self.assertEqual(len(directive.task_ids), 3)

    def test_assign_sends_the_tasks_and_tracks_it(self):
        payload = self._payload()
        payload["assign"] = True
        response = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual({t["state"] for t in response.json()["tasks"]}, {"assigned"})
        reference = response.json()["tasks"][0]["reference"]
        task = self.env["hy.task"].search([("reference", "=", reference)])
        states = task.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        self.assertEqual(len(states), 1, "the assignment is in the task's history")
        # unit A now sees its task through the API
        mine = self._api("GET", f"/tasks/{task.reference}", key=self.key_a)
        self.assertEqual(mine.status_code, 200, mine.text)
        self.assertEqual(
            mine.json()["external_refs"], [{"system": "vbdh", "external_ref": "VB-2026-001-1"}]
        )

    def test_conflicts_are_409_and_write_nothing(self):
        self.env["hy.directive"].create(
            {
                "name": "Chỉ thị",
                "number": "15/CT-UBND",
                "issue_date": "2026-01-10",
                "signer": "Trần Quốc Văn",
                "authority": "province_chairman",
            }
        )
        before = self._counts()
        response = self._api("POST", "/directives", self._payload(), self.key_officer)
        self._assert_error(response, 409, "conflict", "directive.number")
        self.assertEqual(self._counts(), before)

        ok = self._api("POST", "/directives", self._payload(number="16/CT-UBND"), self.key_officer)
        self.assertEqual(ok.status_code, 201, ok.text)
        # a task reference of that directive used again in another directive
        other = self._payload(ref="VB-2026-002", number="17/CT-UBND")
        other["tasks"][1]["external_ref"] = "VB-2026-001-2"
        before = self._counts()
        response = self._api("POST", "/directives", other, self.key_officer)
        self._assert_error(response, 409, "conflict", "tasks[1].external_ref")
        self.assertEqual(self._counts(), before)

        # once assigned, the lead unit only changes by a transfer in the software
        task = self.env["hy.task"].search([("reference", "=", ok.json()["tasks"][0]["reference"])])
        task.action_assign()
        moved = self._payload(number="16/CT-UBND")
        moved["tasks"][0]["lead_unit_code"] = self.unit_off.code
        moved["tasks"][0]["name"] = "Nội dung sửa"
        response = self._api("POST", "/directives", moved, self.key_officer)
        self._assert_error(response, 409, "conflict", "tasks[0].lead_unit_code")
        self.assertEqual(task.lead_unit_id, self.unit_a)
        self.assertEqual(task.name, "Triển khai dịch vụ công trực tuyến toàn trình")

    def test_validation_errors_name_their_field_and_write_nothing(self):
        def mutate(path, value, delete=False):
            payload = self._payload()
            *parents, last = path
            node = payload
            for part in parents:
                node = node[part]
            if delete:
                del node[last]
            else:
                node[last] = value
            return payload

        cases = [
            (mutate(["system"], None, True), "system"),
            (mutate(["system"], "VBDH system"), "system"),
            (mutate(["external_ref"], ""), "external_ref"),
            (mutate(["external_ref"], 12), "external_ref"),
            (mutate(["directive"], None, True), "directive"),
            (mutate(["directive"], []), "directive"),
            (mutate(["directive", "number"], None, True), "directive.number"),
            (mutate(["directive", "name"], "x" * 300), "directive.name"),
            (mutate(["directive", "signer"], "Trần\x00Văn"), "directive.signer"),
            (mutate(["directive", "issue_date"], "2026-02-30"), "directive.issue_date"),
            (mutate(["directive", "issue_date"], "04/05/2026"), "directive.issue_date"),
            (mutate(["directive", "authority"], "king"), "directive.authority"),
            (mutate(["directive", "security_level"], "public"), "directive.security_level"),
            (
                mutate(["directive", "followup_unit_code"], self.unit_a.code),
                "directive.followup_unit_code",
            ),
            (mutate(["directive", "colour"], "red"), "directive.colour"),
            (mutate(["tasks"], {"a": 1}), "tasks"),
            (mutate(["tasks", 0], "task"), "tasks[0]"),
            (mutate(["tasks", 0, "deadline"], "31/12/2026"), "tasks[0].deadline"),
            (mutate(["tasks", 0, "deadline"], ""), "tasks[0].deadline"),
            (mutate(["directive", "signer"], ""), "directive.signer"),
            (mutate(["directive", "signer"], "   "), "directive.signer"),
            (mutate(["directive", "summary"], 5), "directive.summary"),
            (mutate(["directive", "submitting_unit_code"], ""), "directive.submitting_unit_code"),
            (mutate(["assign"], None), "assign"),
            (mutate(["tasks", 1, "lead_unit_code"], "NO-SUCH-UNIT"), "tasks[1].lead_unit_code"),
            (mutate(["tasks", 1, "lead_unit_code"], None, True), "tasks[1].lead_unit_code"),
            (mutate(["tasks", 1, "lead_unit_code"], self.division.code), "tasks[1].lead_unit_code"),
            (mutate(["tasks", 0, "support_unit_codes"], "T-STC"), "tasks[0].support_unit_codes"),
            (mutate(["tasks", 0, "support_unit_codes"], [1]), "tasks[0].support_unit_codes[0]"),
            (mutate(["tasks", 0, "name"], "\ud800"), "tasks[0].name"),
            (mutate(["tasks", 0, "kind"], "secret_plan"), "tasks[0].kind"),
            (mutate(["tasks", 0, "result"], "Đã xong"), "tasks[0].result"),
            (mutate(["assign"], "yes"), "assign"),
        ]
        # Well-formed, as the document allows, but refused by a rule of the software: 422.
        rules = [
            (mutate(["tasks", 0, "deadline"], "2026-01-01"), "tasks[0].deadline"),
            (
                mutate(["tasks", 0, "support_unit_codes"], [self.unit_a.code]),
                "tasks[0].support_unit_codes",
            ),
            (mutate(["tasks", 0, "name"], None, True), "tasks[0].name"),
            (mutate(["tasks", 0, "name"], " "), "tasks[0].name"),
            (mutate(["tasks", 1, "external_ref"], "VB-2026-001-1"), "tasks[1].external_ref"),
        ]
        before = self._counts()
        for payload, field in cases:
            with self.subTest(field=field):
                response = self._api("POST", "/directives", payload, self.key_officer)
                self._assert_error(response, 400, "validation_error", field)
        for payload, field in rules:
            with self.subTest(field=field):
                response = self._api("POST", "/directives", payload, self.key_officer)
                self._assert_error(response, 422, "rejected", field)
        self.assertEqual(self._counts(), before)

    def test_body_errors(self):
        before = self._counts()
        key = self.key_officer
        for raw in ("{", "[1, 2]", '"text"', "NaN", '{"a": NaN}', "\xff"):
            response = self._api("POST", "/directives", key=key, raw=raw.encode("latin-1"))
            self._assert_error(response, 400, "invalid_json")
        response = self._api("POST", "/directives", key=key, raw="system=vbdh", ctype="text/plain")
        self._assert_error(response, 415, "unsupported_media_type")
        big = json.dumps({"system": "vbdh", "pad": "x" * MAX_BODY_SIZE})
        self._assert_error(
            self._api("POST", "/directives", key=key, raw=big), 413, "payload_too_large"
        )
        self.assertEqual(self._counts(), before)


@tagged("post_install", "-at_install")
class TestApiClassified(TestApiCommon):
    def test_classified_content_is_refused_with_422_and_nothing_written(self):
        before = self._counts()
        payload = self._payload(level="confidential", summary="Về việc bảo vệ bí mật")
        self._assert_error(
            self._api("POST", "/directives", payload, self.key_officer),
            422,
            "classified_content",
            "directive.summary",
        )
        payload = self._payload(level="secret")
        payload["tasks"][1]["name"] = "Nội dung mật"
        self._assert_error(
            self._api("POST", "/directives", payload, self.key_officer),
            422,
            "classified_content",
            "tasks[1].name",
        )
        payload["tasks"][1]["name"] = None
        payload["tasks"][0]["result"] = "Kết quả mật"
        # no task of any directive carries a result in this request: not in the document
        self._assert_error(
            self._api("POST", "/directives", payload, self.key_officer),
            400,
            "validation_error",
            "tasks[0].result",
        )
        self.assertEqual(self._counts(), before)

    def test_classified_metadata_goes_through_and_comes_back_without_content(self):
        payload = self._payload(level="confidential")
        payload["assign"] = True
        response = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(response.status_code, 201, response.text)
        reference = response.json()["tasks"][0]["reference"]
        task = self.env["hy.task"].search([("reference", "=", reference)])
        self.assertTrue(task.is_classified)
        self.assertFalse(task.name)
        logs = self.env["hy.classified.access.log"].sudo().search_count([("res_id", "=", task.id)])
        data = self._api("GET", f"/tasks/{reference}", key=self.key_a).json()
        self._check_schema(data, "Task")
        self.assertEqual(data["directive"]["security_level"], "confidential")
        for key in ("name", "result", "return_reason"):
            self.assertNotIn(key, data)
        self.assertGreater(
            self.env["hy.classified.access.log"].sudo().search_count([("res_id", "=", task.id)]),
            logs,
            "reading a classified task through the API is logged",
        )
        # progress without a note is all a unit may report on it
        url = f"/tasks/{reference}/updates"
        before = self._counts()
        response = self._api("POST", url, {"progress": 40, "note": "Chi tiết mật"}, self.key_a)
        self._assert_error(response, 422, "classified_content", "note")
        self.assertEqual(self._counts(), before)
        response = self._api("POST", url, {"progress": 40}, self.key_a)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual((task.progress, task.state), (40, "in_progress"))

    def test_uncleared_officer_cannot_record_a_classified_directive(self):
        key = self._key(self.officer_uncleared)
        before = self._counts()
        response = self._api("POST", "/directives", self._payload(level="secret"), key)
        self._assert_error(response, 403, "forbidden", "directive.security_level")
        self.assertEqual(self._counts(), before)

    def test_a_normal_directive_with_content_cannot_become_classified(self):
        response = self._api("POST", "/directives", self._payload(), self.key_officer)
        self.assertEqual(response.status_code, 201)
        before = self._counts()
        response = self._api(
            "POST", "/directives", self._payload(level="confidential"), self.key_officer
        )
        self._assert_error(response, 422, "rejected")
        self.assertEqual(self._counts(), before)
        directive = self.env["hy.directive"].search([("number", "=", "15/CT-UBND")])
        self.assertEqual(directive.security_level, "normal")


@tagged("post_install", "-at_install")
class TestApiTasks(TestApiCommon):
    def test_unit_key_cannot_touch_another_units_task(self):
        before = self._counts()
        progress = self.task_b.progress
        missing = self._api("GET", "/tasks/NV-0000-99999", key=self.key_a)
        forbidden = self._api("GET", f"/tasks/{self.task_b.reference}", key=self.key_a)
        self._assert_error(forbidden, 404, "not_found")
        self.assertEqual(forbidden.json(), missing.json(), "404 tells nothing more")
        self._assert_error(
            self._api("GET", f"/tasks/{self.draft_a.reference}", key=self.key_a), 404, "not_found"
        )
        for key in (self.key_a, self.key_portal_a):
            response = self._api(
                "POST",
                f"/tasks/{self.task_b.reference}/updates",
                {"progress": 90, "note": "x"},
                key,
            )
            self._assert_error(response, 404, "not_found")
        self.assertEqual(self._counts(), before)
        self.assertEqual(self.task_b.progress, progress)
        listing = self._api("GET", "/tasks?limit=200", key=self.key_a).json()
        references = {item["reference"] for item in listing["items"]}
        self.assertIn(self.task_a.reference, references)
        self.assertNotIn(self.task_b.reference, references)
        self.assertNotIn(self.draft_a.reference, references)

    def test_unit_posts_progress_once_per_external_ref(self):
        url = f"/tasks/{self.task_a.reference}/updates"
        body = {"progress": 35, "note": "Đã hoàn thành dự thảo", "external_ref": "upd-1"}
        response = self._api("POST", url, body, self.key_portal_a)
        self.assertEqual(response.status_code, 201, response.text)
        self._check_schema(response.json(), "UpdateResult")
        self.assertEqual((self.task_a.progress, self.task_a.state), (35, "in_progress"))
        again = self._api("POST", url, body, self.key_portal_a)
        self.assertEqual(again.status_code, 200, again.text)
        self.assertTrue(again.json()["duplicate"])
        self.assertEqual(again.json()["update"]["id"], response.json()["update"]["id"])
        updates = self.env["hy.task.update"].sudo().search([("task_id", "=", self.task_a.id)])
        self.assertEqual(len(updates), 1)
        # a coordinating unit reports too, without changing the lead unit's figure
        self.task_a.support_unit_ids = [Command.link(self.unit_b.id)]
        response = self._api("POST", url, {"progress": 80, "note": "Đã góp ý"}, self.key_b)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(self.task_a.progress, 35)
        # a task reported done takes no more progress
        self.task_a._report_done("Đã trình", self.today)
        response = self._api("POST", url, {"progress": 100, "note": "Xong"}, self.key_a)
        self._assert_error(response, 409, "conflict")

    def test_update_validation(self):
        url = f"/tasks/{self.task_a.reference}/updates"
        before = self._counts()
        for body, field in (
            ({"note": "x"}, "progress"),
            ({"progress": 101, "note": "x"}, "progress"),
            ({"progress": "50", "note": "x"}, "progress"),
            ({"progress": 50.5, "note": "x"}, "progress"),
            ({"progress": True, "note": "x"}, "progress"),
            ({"progress": 50, "note": ["x"]}, "note"),
            ({"progress": None, "note": "x"}, "progress"),
            ({"progress": 50, "note": "x", "state": "done"}, "state"),
            ({"progress": 50, "note": "x", "external_ref": ""}, "external_ref"),
        ):
            with self.subTest(body=body):
                response = self._api("POST", url, body, self.key_a)
                self._assert_error(response, 400, "validation_error", field)
        for body in ({"progress": 50}, {"progress": 50, "note": " \n "}):
            with self.subTest(body=body):
                response = self._api("POST", url, body, self.key_a)
                self._assert_error(response, 422, "rejected", "note")
        self.assertEqual(self._counts(), before)

    def test_task_detail(self):
        response = self._api("GET", f"/tasks/{self.task_a.reference}", key=self.key_officer)
        self.assertEqual(response.status_code, 200, response.text)
        data = response.json()
        self._check_schema(data, "Task")
        self.assertEqual(data["state"], "assigned")
        self.assertEqual(data["status_category"], self.task_a.status_category)
        self.assertEqual(data["deadline"], str(self.task_a.deadline))
        self.assertIsNone(data["date_done"])
        self.assertEqual(data["name"], self.task_a.name)
        self.assertIn("result", data)

    def test_list_params_are_checked(self):
        for query, field in (
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("limit=ten", "limit"),
            ("cursor=%25%25", "cursor"),
            ("cursor=", "cursor"),
            ("changed_since=yesterday", "changed_since"),
            ("changed_since=", "changed_since"),
            ("changed_since=2026-06-10", "changed_since"),
            ("changed_since=2026-02-30T00:00:00Z", "changed_since"),
            ("page=2", "page"),
        ):
            with self.subTest(query=query):
                response = self._api("GET", f"/tasks?{query}", key=self.key_officer)
                self._assert_error(response, 400, "validation_error", field)
        # a cursor as the document allows, but not one this API made
        response = self._api("GET", "/tasks?cursor=bm90LWEtY3Vyc29y", key=self.key_officer)
        self._assert_error(response, 422, "rejected", "cursor")

    def _all_pages(self, key, limit, query=""):
        seen, cursor, pages = [], None, 0
        while True:
            params = f"limit={limit}{query}" + (f"&cursor={cursor}" if cursor else "")
            response = self._api("GET", f"/tasks?{params}", key=key)
            self.assertEqual(response.status_code, 200, response.text)
            page = response.json()
            self._check_schema(page, "TaskPage")
            self.assertLessEqual(len(page["items"]), limit)
            seen += [item["reference"] for item in page["items"]]
            cursor, pages = page["next_cursor"], pages + 1
            if not page["has_more"]:
                return seen, cursor, pages

    def test_pagination_neither_repeats_nor_skips(self):
        tasks = self.task_a | self.task_b | self.draft_a
        for index in range(6):
            tasks |= self._task(unit=self.unit_b, name=f"Nhiệm vụ {index}")
        tasks.flush_recordset()
        base = fields.Datetime.to_datetime("2026-01-05 08:00:00")
        # equal timestamps, timestamps a microsecond apart, and later ones
        stamps = [0, 0, 0, 1e-6, 1e-6, 1, 1, 2, 3]
        for task, offset in zip(tasks, stamps, strict=True):
            self.env.cr.execute(
                "UPDATE hy_task SET write_date = %s WHERE id = %s",
                (base + timedelta(seconds=offset), task.id),
            )
        self.env.invalidate_all()
        # what the officer reads: within their clearance, demo tasks included
        visible = self.env["hy.task"].with_user(self.officer).with_context(active_test=False)
        expected = visible.search([], order="write_date, id")
        seen, cursor, pages = self._all_pages(self.key_officer, 2)
        self.assertEqual(seen, expected.mapped("reference"))
        self.assertEqual(pages, (len(expected) + 1) // 2)
        # nothing new after the last page: the cursor gives an empty page and stays usable
        response = self._api("GET", f"/tasks?cursor={cursor}", key=self.key_officer).json()
        self.assertEqual((response["items"], response["next_cursor"]), ([], cursor))
        # a change after the last page comes next, alone
        tasks[1].write({"deadline": self.today + timedelta(days=90)})
        tasks[1].flush_recordset()
        response = self._api("GET", f"/tasks?cursor={cursor}", key=self.key_officer).json()
        self.assertEqual([i["reference"] for i in response["items"]], [tasks[1].reference])
        # the time filter
        since = base + timedelta(seconds=1)
        seen, _cursor, _pages = self._all_pages(
            self.key_officer, 3, f"&changed_since={since.isoformat()}Z"
        )
        expected = visible.search([("write_date", ">=", since)], order="write_date, id")
        self.assertEqual(seen, expected.mapped("reference"))
        self.assertIn(tasks[1].reference, seen)
        self.assertNotIn(tasks[4].reference, seen)
        since_offset = (base + timedelta(hours=7, seconds=1)).isoformat() + "+07:00"
        seen_offset, _c, _p = self._all_pages(
            self.key_officer, 3, "&changed_since=" + since_offset.replace("+", "%2B")
        )
        self.assertEqual(seen_offset, seen)


@tagged("post_install", "-at_install")
class TestApiStatusChanges(TestApiCommon):
    def _feed(self, key=None, query=""):
        """Every change the feed gives from ``query`` on, page by page, and the last cursor."""
        changes, cursor = [], None
        while True:
            params = "limit=50" + (f"&cursor={cursor}" if cursor else query)
            response = self._api("GET", f"/status-changes?{params}", key=key or self.key_officer)
            self.assertEqual(response.status_code, 200, response.text)
            page = response.json()
            self._check_schema(page, "StatusChangePage")
            changes += page["items"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return changes, cursor

    def _ledger_states(self, task):
        # sudo: the ledger is closed to the ORM for every user but the Office and leadership
        return (
            self.env["hy.task.ledger"]
            .sudo()  # sudo: see the comment above
            .search([("task_id", "=", task.id), ("change", "=", "state")], order="id")
        )

    def test_feed_lists_state_changes_in_order_by_pages(self):
        task = self._task(unit=self.unit_a, name="Theo dõi thay đổi trạng thái")
        task.action_assign()
        response = self._api(
            "POST",
            f"/tasks/{task.reference}/updates",
            {"progress": 10, "note": "Bắt đầu"},
            self.key_a,
        )
        self.assertEqual(response.status_code, 201, response.text)
        changes, cursor = [], None
        while True:
            query = "limit=1" + (f"&cursor={cursor}" if cursor else "")
            response = self._api("GET", f"/status-changes?{query}", key=self.key_officer)
            self.assertEqual(response.status_code, 200, response.text)
            page = response.json()
            self._check_schema(page, "StatusChangePage")
            self.assertEqual(page["format"], "hy.status-changes/1.3")
            changes += page["items"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        ids = [change["change_id"] for change in changes]
        self.assertEqual(ids, sorted(set(ids)), "in order, each change once")
        mine = [
            (c["old_state"], c["new_state"])
            for c in changes
            if c["task_reference"] == task.reference
        ]
        self.assertEqual(mine, [("draft", "assigned"), ("assigned", "in_progress")])
        self.assertEqual(
            [c["change_id"] for c in changes if c["task_reference"] == task.reference],
            self._ledger_states(task).ids,
            "each change is its entry in the task ledger",
        )
        self.assertEqual(decode_cursor(cursor, 2), ["ledger", str(ids[-1])])
        last = [c for c in changes if c["task_reference"] == task.reference][-1]
        self.assertEqual(last["lead_unit_code"], self.unit_a.code)
        self.assertEqual(last["status_category"], "in_progress_on_time")
        # nothing after the last change; nothing since a future time
        response = self._api("GET", f"/status-changes?cursor={cursor}", key=self.key_officer)
        self.assertEqual(response.json()["items"], [])
        response = self._api(
            "GET", "/status-changes?since=2999-01-01T00:00:00Z", key=self.key_leader
        )
        self.assertEqual(response.json()["items"], [])
        self._assert_error(
            self._api("GET", "/status-changes?cursor=abc", key=self.key_officer),
            422,
            "rejected",
            "cursor",
        )

    def test_feed_lists_what_the_ledger_records_not_what_the_chatter_tracked(self):
        # created and assigned in one transaction, outside the API: the chatter tracks nothing
        task = self.env["hy.task"].create(
            {
                "directive_id": self.directive.id,
                "name": "Giao ngay khi tạo",
                "lead_unit_id": self.unit_b.id,
                "deadline": self.today + timedelta(days=30),
            }
        )
        task.action_assign()
        task.with_context(tracking_disable=True).action_accept()
        self._flush_tracking()
        tracked = task.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        self.assertFalse(tracked)
        changes, _cursor = self._feed()
        mine = [c for c in changes if c["task_reference"] == task.reference]
        self.assertEqual(
            [(c["old_state"], c["new_state"]) for c in mine],
            [("draft", "assigned"), ("assigned", "in_progress")],
        )
        entry = self._ledger_states(task)[0]
        self.assertEqual(mine[0]["changed_at"], entry.timestamp.isoformat() + "Z")
        self.assertEqual(mine[0]["lead_unit_code"], self.unit_b.code)
        # the time filter reads the ledger's time too
        since = (entry.timestamp - timedelta(seconds=1)).isoformat() + "Z"
        recent, _cursor = self._feed(query=f"&since={since}")
        self.assertEqual([c for c in recent if c["task_reference"] == task.reference], mine)

    def _backdate(self, entry, minutes):
        """As if ``entry`` and every entry before it were recorded ``minutes`` ago."""
        self.env.cr.execute(
            "UPDATE hy_task_ledger SET timestamp = LEAST(timestamp, %s) WHERE id <= %s",
            (fields.Datetime.now() - timedelta(minutes=minutes), entry.id),
        )
        self.env.invalidate_all()

    def test_a_cursor_of_format_1_resumes_a_minute_before_its_change(self):
        task = self._task(unit=self.unit_a, name="Người dùng định dạng cũ")
        self._flush_tracking()
        task.action_assign()  # twenty minutes ago
        self._flush_tracking()
        self._backdate(self._ledger_states(task)[-1], 20)
        task.action_accept()  # ten minutes ago: the last change a consumer of format 1 had
        self._flush_tracking()
        self._backdate(self._ledger_states(task)[-1], 10)
        states = task.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        self.assertEqual(len(states), 2, "format 1 saw the assignment and the acceptance")
        accepted = states.sorted("id")[-1]
        self.env.cr.execute(
            "UPDATE mail_message SET date = %s WHERE id = %s",
            (fields.Datetime.now() - timedelta(minutes=10), accepted.mail_message_id.id),
        )
        task._report_done("Đã ban hành kế hoạch", self.today)  # now: new to that consumer
        changes, cursor = self._feed(query=f"&cursor={encode_cursor('sc', accepted.id)}")
        mine = [
            (c["event"], c["old_state"], c["new_state"])
            for c in changes
            if c["task_reference"] == task.reference
        ]
        # the minute of the cursor's change comes again; nothing before it, nothing skipped
        self.assertEqual(
            mine,
            [
                ("state", "assigned", "in_progress"),
                ("state", "in_progress", "done"),
                ("with_office", "done", "done"),  # the result waits for the Office
            ],
        )
        self.assertEqual(decode_cursor(cursor, 2)[0], "ledger", "answered a cursor of 1.1")
        self.assertEqual(self._feed(query=f"&cursor={cursor}")[0], [])
        # a cursor of format 1 older than any change: the feed from the start
        start, _cursor = self._feed(query=f"&cursor={encode_cursor('sc', 0)}")
        self.assertEqual(start, self._feed()[0])

    def test_classified_changes_go_to_the_cleared_only_with_their_metadata(self):
        secret = self._task(
            unit=self.unit_a, state="assigned", directive_id=self.directive_conf.id, name=False
        )
        logs = self.env["hy.classified.access.log"].sudo()  # sudo: the test reads the log
        before = logs.search_count([("res_id", "=", secret.id), ("operation", "=", "export")])
        changes, _cursor = self._feed()
        mine = [c for c in changes if c["task_reference"] == secret.reference]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["security_level"], "confidential")
        self.assertEqual(
            set(mine[0]),
            {
                "change_id",
                "event",
                "changed_at",
                "task_reference",
                "directive_number",
                "directive_authority",
                "security_level",
                "lead_unit_code",
                "old_state",
                "new_state",
                "with_office",
                "office_wait",
                "deadline",
                "date_done",
                "status_category",
                "progress_status",
                # Urges and requests for information (format 1.3): a channel, a number, a date.
                "urge_channel",
                "dispatch_number",
                "info_date",
            },
            "metadata only",
        )
        self.assertGreater(
            logs.search_count([("res_id", "=", secret.id), ("operation", "=", "export")]),
            before,
            "reading a classified task's changes is logged",
        )
        uncleared, _cursor = self._feed(key=self._key(self.officer_uncleared))
        self.assertNotIn(secret.reference, {c["task_reference"] for c in uncleared})
        self.assertIn(self.task_a.reference, {c["task_reference"] for c in uncleared})


@tagged("post_install", "-at_install")
class TestApiUnitSide(TestApiCommon):
    """A unit's own system does through the API what its members do on the portal."""

    def _post(self, task, action, body=None, key=None):
        return self._api("POST", f"/tasks/{task.reference}/{action}", body, key or self.key_a)

    def _assert_done(self, response, duplicate=False):
        self.assertEqual(response.status_code, 200, response.text)
        self._check_schema(response.json(), "UnitActionResult")
        self.assertIs(response.json()["duplicate"], duplicate)
        return response.json()["task"]

    def test_accept_then_report_completion_once(self):
        task = self.task_a
        self.assertEqual(self._assert_done(self._post(task, "accept"))["state"], "in_progress")
        self._assert_done(self._post(task, "accept"), duplicate=True)
        today = self.today.isoformat()
        before = self._counts()
        for body, status, code in (
            (
                {"date_done": (self.today + timedelta(days=1)).isoformat(), "result": "x"},
                422,
                "rejected",
            ),
            (
                {"date_done": (self.today - timedelta(days=1)).isoformat(), "result": "x"},
                422,
                "rejected",
            ),
            ({"date_done": today}, 422, "rejected"),
            ({"date_done": today, "result": "  "}, 422, "rejected"),
            ({"result": "Đã ban hành kế hoạch"}, 400, "validation_error"),
            ({"date_done": "29/11/2026", "result": "x"}, 400, "validation_error"),
        ):
            with self.subTest(body=body):
                self._assert_error(self._post(task, "completion", body), status, code)
        self.assertEqual(self._counts(), before)
        self.assertEqual(task.state, "in_progress")
        body = {"date_done": today, "result": "Đã ban hành Kế hoạch số 12/KH-SNV"}
        data = self._assert_done(self._post(task, "completion", body))
        self.assertEqual((data["state"], data["date_done"], data["progress"]), ("done", today, 100))
        self.assertEqual(task.result, "Đã ban hành Kế hoạch số 12/KH-SNV")
        self._assert_done(self._post(task, "completion", body), duplicate=True)
        self.assertEqual(
            self.env["hy.task.ledger"]
            .sudo()  # sudo: the ledger is closed to the ORM for every user
            .search_count(
                [("task_id", "=", task.id), ("change", "=", "state"), ("new_value", "=", "done")]
            ),
            1,
            "reported done once",
        )
        # the Office may still ask: a second report after confirmation is refused
        self._assert_error(self._post(task, "return", {"reason": "Không thuộc"}), 409, "conflict")

    def test_return_needs_its_reason_and_is_recorded_once(self):
        task = self.task_a
        self._assert_error(self._post(task, "return", {}), 422, "rejected", "reason")
        self._assert_error(self._post(task, "return", {"reason": 5}), 400, "validation_error")
        body = {"reason": "Nhiệm vụ thuộc thẩm quyền của Sở Tài chính"}
        data = self._assert_done(self._post(task, "return", body))
        self.assertEqual((data["state"], data["return_reason"]), ("returned", body["reason"]))
        self._assert_done(self._post(task, "return", body), duplicate=True)

    def test_extension_request_follows_the_portals_rules(self):
        task = self.task_a
        later = (task.deadline + timedelta(days=30)).isoformat()
        for body in (
            {"new_deadline": task.deadline.isoformat(), "reason": "Chờ ý kiến Bộ"},
            {"new_deadline": later},
        ):
            with self.subTest(body=body):
                self._assert_error(self._post(task, "extension-request", body), 422, "rejected")
        body = {"new_deadline": later, "reason": "Chờ ý kiến của Bộ Nội vụ"}
        data = self._assert_done(self._post(task, "extension-request", body))
        self.assertTrue(data["extension_pending"])
        self._assert_done(self._post(task, "extension-request", body), duplicate=True)
        self.assertEqual(len(task.extension_ids), 1)
        self.assertEqual(str(task.pending_extension_deadline), later)

    def test_only_the_lead_unit_acts_and_classified_content_is_refused(self):
        task = self.task_a
        task.support_unit_ids = [Command.link(self.unit_b.id)]
        self._assert_error(self._post(task, "accept", key=self.key_b), 403, "forbidden")
        self._assert_error(self._post(self.task_b, "accept"), 404, "not_found")
        self._assert_error(self._post(task, "accept", key=self.key_leader), 403, "forbidden")
        self.assertEqual(task.state, "assigned")
        secret = self._task(
            unit=self.unit_a, state="in_progress", directive_id=self.directive_conf.id, name=False
        )
        before = self._counts()
        for action, body in (
            ("completion", {"date_done": self.today.isoformat(), "result": "Chi tiết kết quả"}),
            ("return", {"reason": "Lý do chi tiết"}),
        ):
            with self.subTest(action=action):
                self._assert_error(self._post(secret, action, body), 422, "classified_content")
        self.assertEqual(self._counts(), before)
        data = self._assert_done(
            self._post(secret, "completion", {"date_done": self.today.isoformat()})
        )
        self.assertEqual(data["state"], "done")
        self.assertNotIn("result", data)

    def test_the_office_sees_the_external_references_on_the_task(self):
        response = self._api("POST", "/directives", self._payload(), self.key_officer)
        self.assertEqual(response.status_code, 201, response.text)
        task = self.env["hy.task"].search(
            [("reference", "=", response.json()["tasks"][0]["reference"])]
        )
        refs = task.with_user(self.officer).external_reference_ids
        self.assertEqual(refs.mapped("external_ref"), ["VB-2026-001-1"])
        self.assertEqual(refs.system, "vbdh")
        with self.assertRaises(AccessError):
            task.with_user(self.user_a).read(["external_reference_ids"])


@tagged("post_install", "-at_install")
class TestApiDeadlineInDays(TestApiCommon):
    """A directive's "within N working days of receipt" travels as a rule, not a date."""

    def test_deadline_in_working_days_is_computed_by_the_software(self):
        payload = self._payload()
        rule = {"deadline_rule": "working_days", "deadline_days": 10, "deadline_from": "received"}
        del payload["tasks"][0]["deadline"]
        payload["tasks"][0].update(rule)
        response = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(response.status_code, 201, response.text)
        reference = response.json()["tasks"][0]["reference"]
        task = self.env["hy.task"].search([("reference", "=", reference)])
        expected = task._deadline_by_rule("working_days", 10, self.today)
        self.assertEqual((task.deadline_rule, task.deadline_days), ("working_days", 10))
        self.assertEqual(task.deadline, expected)
        data = self._api("GET", f"/tasks/{reference}", key=self.key_officer).json()
        self._check_schema(data, "Task")
        self.assertEqual(
            (data["deadline"], data["deadline_rule"], data["deadline_from"]),
            (expected.isoformat(), "working_days", "received"),
        )
        # sent again unchanged: nothing moves
        again = self._api("POST", "/directives", payload, self.key_officer)
        self.assertEqual(again.status_code, 200, again.text)
        self.assertEqual(task.deadline, expected)

    def test_a_rule_without_days_or_with_a_date_is_refused(self):
        before = self._counts()
        for change, field in (
            ({"deadline_rule": "working_days"}, "tasks[0].deadline_days"),
            ({"deadline_rule": "calendar_days", "deadline_days": 5}, "tasks[0].deadline"),
            ({"deadline_days": 5}, "tasks[0].deadline_days"),
        ):
            with self.subTest(change=change):
                payload = self._payload()
                payload["tasks"][0].update(change)
                response = self._api("POST", "/directives", payload, self.key_officer)
                self._assert_error(response, 422, "rejected", field)
        payload = self._payload()
        payload["tasks"][0].update(deadline_rule="weeks", deadline=None)
        response = self._api("POST", "/directives", payload, self.key_officer)
        self._assert_error(response, 400, "validation_error", "tasks[0].deadline_rule")
        self.assertEqual(self._counts(), before)
