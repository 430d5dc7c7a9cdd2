"""Every workflow step on tasks of each classified level works, and stores no text.

Reasons, comments, results and notes of classified tasks go on paper through the classified
channel (Art. 7.2–7.3): the software records the step and its metadata only.
"""

from datetime import timedelta

import psycopg2

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import is_html_empty

from ..models.hy_task import hy_today
from .common import TestHyCommon
from .test_api import TestApiCommon
from .test_portal import TestPortalCommon

LEVELS = ("confidential", "secret", "top_secret")
TEXT = "Nội dung không được lưu"


class ClassifiedStepsMixin:
    @classmethod
    def _classified_setup(cls):
        g = "hy_task_tracking.group_"
        cls.officer_ts = new_test_user(
            cls.env, "t_officer_ts", groups=f"{g}office_officer,{g}clearance_top_secret"
        )
        cls.manager_ts = new_test_user(
            cls.env, "t_manager_ts", groups=f"{g}office_manager,{g}clearance_top_secret"
        )
        cls.directives = {
            level: cls.env["hy.directive"].create(
                {
                    "document_type": "decision",
                    "number": f"9{index}/QĐ-UBND",
                    "issue_date": hy_today() - timedelta(days=30),
                    "signer": "Trần Quốc Văn",
                    "authority": "province",
                    "security_level": level,
                    "followup_unit_id": cls.division.id,
                }
            )
            for index, level in enumerate(LEVELS)
        }

    def _classified_task(self, level, state="assigned"):
        task = self.env["hy.task"].create(
            {
                "directive_id": self.directives[level].id,
                "lead_unit_id": self.unit_a.id,
                "followup_unit_id": self.division.id,
                "deadline": hy_today() + timedelta(days=20),
            }
        )
        if state != "draft":
            task.with_user(self.officer_ts).action_assign()
        if state in ("in_progress", "done"):
            task.with_user(self.user_a).action_accept()
        if state == "done":
            task.with_user(self.user_a)._report_done(False, hy_today())
        return task

    def _assert_no_text(self, task):
        """Nothing but metadata about ``task``, wherever text could have gone."""
        self.env.flush_all()
        task.invalidate_recordset()
        task = task.sudo()
        self.assertFalse(task.name or task.result or task.return_reason or task.quality_comment)
        self.assertFalse(task.transfer_ids.filtered("reason"), "transfer reason")
        self.assertFalse(task.extension_ids.filtered("refuse_reason"), "refusal reason")
        fixed = self.env._("Sent through the classified channel")
        self.assertFalse(task.extension_ids.filtered(lambda e: e.reason != fixed), "request")
        self.assertFalse(task.update_ids.filtered("note"), "update note")
        self.assertFalse(task.ledger_ids.filtered("note"), "ledger reason")
        messages = (
            self.env["mail.message"]
            .sudo()  # sudo: every message of the task, whoever may read it
            .search([("model", "=", "hy.task"), ("res_id", "=", task.id)])
        )
        written = messages.filtered(
            lambda m: (
                m.attachment_ids or (m.message_type != "notification" and not is_html_empty(m.body))
            )
        )
        self.assertFalse(written, "a message with text")
        self.assertFalse(TEXT in " ".join(messages.mapped(lambda m: str(m.body))))


@tagged("post_install", "-at_install")
class TestClassifiedStepsBackend(ClassifiedStepsMixin, TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._classified_setup()

    def _each_level(self, state, step, expected_state):
        for level in LEVELS:
            with self.subTest(level=level):
                task = self._classified_task(level, state)
                step(task)
                self.assertEqual(task.state, expected_state)
                self._assert_no_text(task)

    def test_assign(self):
        self._each_level(
            "draft", lambda t: t.with_user(self.officer_ts).action_assign(), "assigned"
        )

    def test_accept(self):
        self._each_level(
            "assigned", lambda t: t.with_user(self.user_a).action_accept(), "in_progress"
        )

    def test_return(self):
        self._each_level(
            "in_progress", lambda t: t.with_user(self.user_a)._return_to_office(TEXT), "returned"
        )

    def test_transfer(self):
        def transfer(task):
            task.with_user(self.officer_ts)._transfer_to_unit(self.unit_b, TEXT)
            self.assertEqual(task.lead_unit_id, self.unit_b)
            self.assertEqual(len(task.sudo().transfer_ids), 1)

        self._each_level("in_progress", transfer, "assigned")

    def test_progress_update(self):
        def update(task):
            self.env["hy.task.update"].with_user(self.user_a).create(
                {"task_id": task.id, "progress": 40}
            )
            self.assertEqual(task.progress, 40)

        self._each_level("in_progress", update, "in_progress")

    def test_report_done(self):
        def done(task):
            task.with_user(self.user_a)._report_done(TEXT, hy_today())

        self._each_level("in_progress", done, "done")

    def test_evaluate_and_confirm(self):
        def confirm(task):
            task.with_user(self.manager_ts)._evaluate_and_confirm("good", TEXT)
            self.assertTrue(task.confirmed)

        self._each_level("done", confirm, "done")

    def test_send_back(self):
        self._each_level(
            "done", lambda t: t.with_user(self.officer_ts)._send_back(TEXT), "in_progress"
        )
        # Without a comment too: it goes on paper.
        task = self._classified_task("secret", "done")
        task.with_user(self.officer_ts)._send_back(False)
        self.assertEqual(task.state, "in_progress")

    def _request(self, task):
        return self._request_extension(task, hy_today() + timedelta(days=60), TEXT)

    def test_request_extension(self):
        self._each_level("in_progress", lambda t: self._request(t), "in_progress")

    def test_approve_extension(self):
        def approve(task):
            self._request(task).with_user(self.officer_ts).action_approve()
            self.assertEqual(task.deadline, hy_today() + timedelta(days=60))

        self._each_level("in_progress", approve, "in_progress")

    def test_refuse_extension(self):
        def refuse(task):
            request = self._request(task)
            request.with_user(self.officer_ts).action_refuse(TEXT)
            self.assertEqual(request.state, "refused")

        self._each_level("in_progress", refuse, "in_progress")

    def test_cancel_and_reset(self):
        def cancel_and_reset(task):
            task.with_user(self.officer_ts).action_cancel()
            self.assertEqual(task.state, "cancelled")
            task.with_user(self.officer_ts).action_reset_to_draft()

        self._each_level("assigned", cancel_and_reset, "draft")

    def test_the_model_refuses_a_transfer_reason_whoever_writes(self):
        task = self._classified_task("confidential")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env["hy.task.transfer"].sudo().create(
                {"task_id": task.id, "to_unit_id": self.unit_b.id, "reason": TEXT}
            )


@tagged("post_install", "-at_install")
class TestClassifiedStepsPortal(ClassifiedStepsMixin, TestPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._classified_setup()

    def test_the_units_steps_from_the_portal(self):
        self._login(self.portal_a)
        for level in LEVELS:
            with self.subTest(level=level):
                task = self._classified_task(level)
                self._post(task, "accept")
                self.assertEqual(task.state, "in_progress")
                self._post(task, "update", {"progress": "30", "note": TEXT})
                self.assertEqual(task.progress, 30)
                self._post(
                    task,
                    "extension",
                    {"new_deadline": (self.today + timedelta(days=60)).isoformat(), "reason": TEXT},
                )
                self.assertTrue(task.extension_pending)
                self._post(task, "done", {"date_done": self.today.isoformat(), "result": TEXT})
                self.assertEqual(task.state, "done")
                self._assert_no_text(task)
                returned = self._classified_task(level)
                self._post(returned, "return", {"reason": TEXT})
                self.assertEqual(returned.state, "returned")
                self._assert_no_text(returned)


@tagged("post_install", "-at_install")
class TestClassifiedStepsApi(ClassifiedStepsMixin, TestApiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._classified_setup()
        cls.key_officer_ts = cls._key(cls.officer_ts, "hy_api")

    def test_recording_assigning_and_reporting_through_the_api(self):
        for index, level in enumerate(LEVELS):
            with self.subTest(level=level):
                payload = self._payload(
                    ref=f"VB-MAT-{index}", number=f"7{index}/QĐ-UBND", level=level
                )
                payload["assign"] = True
                response = self._api("POST", "/directives", payload, self.key_officer_ts)
                self.assertEqual(response.status_code, 201, response.text)
                reference = response.json()["tasks"][0]["reference"]
                task = self.env["hy.task"].search([("reference", "=", reference)])
                self.assertEqual(task.state, "assigned")
                url = f"/tasks/{reference}/updates"
                refused = self._api("POST", url, {"progress": 20, "note": TEXT}, self.key_a)
                self.assertEqual(refused.status_code, 422, refused.text)
                accepted = self._api("POST", url, {"progress": 20}, self.key_a)
                self.assertEqual(accepted.status_code, 201, accepted.text)
                self.assertEqual((task.state, task.progress), ("in_progress", 20))
                self._assert_no_text(task)
                # A classified directive is named by its type only.
                self.assertEqual(task.directive_id.sudo().name, "Chỉ thị")


@tagged("post_install", "-at_install")
class TestClassifiedReadOnReplica(TestHyCommon):
    def test_a_read_served_by_a_replica_goes_to_the_primary_to_be_logged(self):
        """On a read-only cursor (db_replica_host), logging asks Odoo to run the request again
        on the primary instead of failing on the insert: no classified read goes unlogged."""
        task = self._task(directive_id=self.directive_conf.id, name=False)
        with self.registry.cursor(readonly=True) as cr:
            Log = self.env(cr=cr, user=self.officer)["hy.classified.access.log"]
            with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction):
                Log._log(task.with_env(Log.env), "read", "PDF")
        logged = (
            self.env["hy.classified.access.log"].with_user(self.officer)._log(task, "read", "PDF")
        )
        self.assertEqual(logged.res_id, task.id)
