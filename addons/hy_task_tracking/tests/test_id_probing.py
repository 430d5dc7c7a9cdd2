"""Routes that take a record id answer missing and forbidden ids alike, never 500, and parse
ids exactly as the record is then looked up; one policy for who learns that a classified
directive exists (readme, "Who learns that a classified directive exists")."""

import io
from datetime import date

import psycopg2

from odoo import http
from odoo.exceptions import ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_api import TestApiCommon
from .test_import import TestImportCommon
from .test_portal import PDF, TestPortalCommon

HUGE = "99999999999999999999"


@tagged("post_install", "-at_install")
class TestIdProbing(TestPortalCommon):
    def _upload(self, model, thread_id):
        return self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_model": model,
                "thread_id": thread_id,
                "is_pending": "true",
            },
            files={"ufile": ("rapport.pdf", io.BytesIO(PDF), "application/pdf")},
            allow_redirects=False,
        )

    def _answer(self, response):
        return response.status_code, response.text

    @mute_logger("odoo.http")
    def test_the_upload_route_answers_one_404_and_writes_nothing(self):
        secret = str(self.task_secret.id)
        missing = str(self.env["hy.task"].search([], order="id desc", limit=1).id + 1000)
        update = (
            self.env["hy.task.update"]
            .sudo()  # sudo: test fixture, an update as the unit would have posted it
            .create({"task_id": self.task_open.id, "progress": 10, "note": "Đã triển khai"})
        )
        for user in (self.portal_a, self.user_a):
            self._login(user)
            reference = self._answer(self._upload("hy.task", missing))
            self.assertEqual(reference[0], 404)
            probes = [
                ("hy.task", value)
                for value in (
                    secret,
                    f"+{secret}",
                    f" {secret}",
                    f"{secret} ",
                    f"0{secret}",
                    str(self.task_b.id),
                    "-1",
                    "0",
                    "1e1",
                    HUGE,
                    "",
                )
            ] + [
                ("hy.task.update", str(update.id)),
                ("hy.task.extension", missing),
                ("hy.task.transfer", missing),
            ]
            for model, value in probes:
                with self.subTest(user=user.login, model=model, thread_id=value):
                    self.assertEqual(self._answer(self._upload(model, value)), reference)
        files = self.env["ir.attachment"].sudo().search([("name", "=", "rapport.pdf")])
        self.assertFalse(files, "no byte of the file was written")
        # The unit's own normal task still takes files from the chatter.
        self._login(self.portal_a)
        self.assertEqual(self._upload("hy.task", str(self.task_open.id)).status_code, 200)

    def test_portal_routes_answer_odd_and_huge_ids_like_missing_ones(self):
        self._login(self.portal_a)
        missing = self.env["hy.task"].search([], order="id desc", limit=1).id + 1000
        reference = self._answer(self._get(f"/my/hy_tasks/{missing}"))
        self.assertEqual(reference[0], 404)
        for value in (HUGE, "-1", "1e1", "%2B22", "%2022"):
            with self.subTest(task_id=value):
                self.assertEqual(self._get(f"/my/hy_tasks/{value}").status_code, 404)
                response = self.url_open(
                    f"/my/hy_tasks/{value}/accept",
                    data={"csrf_token": http.Request.csrf_token(self)},
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 404)
        # A leading zero is the same id, as the record is looked up: the unit's own task, at
        # its canonical address.
        response = self._get(f"/my/hy_tasks/0{self.task_open.id}")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response.headers["Location"].endswith(f"/my/hy_tasks/{self.task_open.id}"))
        self.assertEqual(self._get(f"/my/hy_tasks/page/{HUGE}").status_code, 404)


@tagged("post_install", "-at_install")
class TestOneExistencePolicy(TestApiCommon):
    """An uncleared officer learns that a number is taken, whatever its level: the same words
    as for a normal directive, nothing more (not its level, not its name)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key_uncleared = cls._key(cls.officer_uncleared, "hy_api")
        for number, level in (("60/CT-UBND", "normal"), ("61/CT-UBND", "secret")):
            cls.env["hy.directive"].create(
                {
                    "document_type": "directive",
                    "number": number,
                    "issue_date": date(2026, 5, 4),
                    "signer": "Trần Quốc Văn",
                    "authority": "province_chairman",
                    "security_level": level,
                    "summary": "Trích yếu" if level == "normal" else False,
                }
            )

    def test_api_answers_the_same_409_for_a_visible_and_a_hidden_number(self):
        answers = {}
        for number in ("60/CT-UBND", "61/CT-UBND"):
            payload = self._payload(ref=f"VB-{number}", number=number)
            response = self._api("POST", "/directives", payload, self.key_uncleared)
            self.assertEqual(response.status_code, 409, response.text)
            answers[number] = response.json()["error"]
        visible, hidden = answers.values()
        self.assertEqual(visible["code"], hidden["code"])
        self.assertEqual(visible["field"], hidden["field"])
        self.assertEqual(
            visible["message"].replace("60/", "61/"), hidden["message"], "the same words"
        )

    def test_the_form_answers_the_same_for_a_visible_and_a_hidden_number(self):
        messages = []
        for number in ("60/CT-UBND", "61/CT-UBND"):
            with (
                self.assertRaises(psycopg2.IntegrityError) as error,
                self.env.cr.savepoint(),
                mute_logger("odoo.sql_db"),
            ):
                self.env["hy.directive"].with_user(self.officer_uncleared).create(
                    {
                        "document_type": "directive",
                        "number": number,
                        "issue_date": date(2026, 6, 1),
                        "signer": "Trần Quốc Văn",
                        "authority": "province_chairman",
                    }
                ).flush_recordset()
            # What the user reads, as the RPC layer turns the database error into a message.
            messages.append(str(_as_validation_error(self.env, error.exception)))
        self.assertEqual(messages[0], messages[1])
        self.assertIn("of this authority and year is already recorded", messages[0])


@tagged("post_install", "-at_install")
class TestDocumentType(TestImportCommon):
    def test_a_classified_directive_is_named_by_its_type_only(self):
        values = {
            "number": "70/QĐ-UBND",
            "issue_date": date(2026, 5, 4),
            "signer": "Trần Quốc Văn",
            "authority": "province",
            "security_level": "confidential",
        }
        Directive = self.env["hy.directive"].with_user(self.officer)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            Directive.create(dict(values, name="Quyết định về việc giải tỏa mặt bằng"))
        directive = Directive.create(dict(values, document_type="plan"))
        self.assertEqual(directive.name, "Kế hoạch")
        directive.document_type = "decision"
        self.assertEqual(directive.name, "Quyết định")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            directive.name = "Quyết định phê duyệt dự án"
        normal = Directive.create(
            dict(values, number="71/QĐ-UBND", security_level="normal", name="Chỉ thị")
        )
        self.assertEqual(normal.document_type, "directive")
        # Classifying a directive whose name says more than its type is refused.
        longer = Directive.create(
            dict(values, number="72/QĐ-UBND", security_level="normal", name="Quyết định số 72")
        )
        self.assertEqual(longer.document_type, "other")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            longer.security_level = "secret"

    def test_the_import_refuses_a_classified_name_with_other_words(self):
        row = self._row(
            number="73/QĐ-UBND",
            name="Quyết định phê duyệt",
            security_level="Mật",
            summary=None,
            task_name=None,
        )
        wizard = self._import(self._xlsx([row]))
        self.assertEqual(wizard.state, "error")
        self.assertIn("named by its type only", wizard.error_details)
