"""The findings of issue 22 on tasks, tried as their authors tried them: JSON-RPC ``call_kw``.

Each test logs in as a demo-free user of common.py and sends what the web client's protocol
lets anyone send; the server alone must refuse.
"""

from datetime import date

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import JsonRpcMixin, TestHyCommon


@tagged("post_install", "-at_install", "hy_rpc_gate")
class TestTaskRpcGate(JsonRpcMixin, HttpCase, TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.task_a = cls._task(state="in_progress", assigned=date(2026, 6, 1))
        cls.task_b = cls._task(unit=cls.unit_b, state="in_progress", assigned=date(2026, 6, 1))

    @mute_logger("odoo.http")
    def test_finding_2_an_officer_cannot_confirm_or_evaluate_by_write(self):
        self.task_a._report_done("Đã ban hành kế hoạch", date(2026, 6, 5))
        self._login(self.officer_uncleared)
        for values in (
            {"confirmed": True},
            {"quality": "excellent"},
            {"confirmed_by_id": self.manager.id},
            {"confirmed_date": "2026-06-06"},
            {"state": "done"},
        ):
            with self.subTest(values=values):
                message = self.assertRefused(
                    self._call("hy.task", "write", [self.task_a.id], values)
                )
                self.assertIn("not allowed to set these fields", message)
        self.task_a.invalidate_recordset()
        self.assertFalse(self.task_a.confirmed)
        self.assertFalse(self.task_a.quality)
        # The manager confirms through the workflow, named as confirmer.
        self.task_a.with_user(self.manager)._evaluate_and_confirm("good")
        self.assertEqual(self.task_a.confirmed_by_id, self.manager)

    @mute_logger("odoo.http")
    def test_finding_3_an_update_cannot_name_another_units_file(self):
        other = self.env["ir.attachment"].create(
            {
                "name": "bao-cao-stc.pdf",
                "raw": b"%PDF-1.4 secret of unit B",
                "res_model": "hy.task",
                "res_id": self.task_b.id,
            }
        )
        self._login(self.portal_a)
        values = {
            "task_id": self.task_a.id,
            "progress": 50,
            "note": "Đã hoàn thành dự thảo",
            "attachment_ids": [[6, 0, [other.id]]],
        }
        self.assertRefused(self._call("hy.task.update", "create", [values]))
        self.assertFalse(self.env["hy.task.update"].search([("attachment_ids", "in", other.ids)]))
        # Without the foreign file, the same update is the unit's to post.
        del values["attachment_ids"]
        result, error, _message = self._call("hy.task.update", "create", [values])
        self.assertFalse(error)
        self.assertEqual(self.env["hy.task.update"].browse(result).unit_id, self.unit_a)

    @mute_logger("odoo.http")
    def test_finding_8_an_assigned_task_is_never_deleted(self):
        self._login(self.officer)
        self.task_a.with_user(self.officer).action_cancel()
        self.task_a.with_user(self.officer).action_reset_to_draft()
        self.assertEqual(self.task_a.state, "draft")
        ledger = self.task_a.ledger_ids
        self.assertRefused(
            self._call("hy.task", "unlink", [self.task_a.id]), "odoo.exceptions.UserError"
        )
        self.assertTrue(self.task_a.exists())
        self.assertEqual(self.task_a.ledger_ids, ledger)
        # A draft never assigned is still the Office's to delete.
        draft = self._task()
        _result, error, _message = self._call("hy.task", "unlink", [draft.id])
        self.assertFalse(error)
        self.assertFalse(draft.exists())

    @mute_logger("odoo.http")
    def test_finding_8_history_is_never_written_or_deleted(self):
        entry = self.task_a.ledger_ids[:1]
        for user in (self.officer, self.manager):
            self._login(user)
            with self.subTest(user=user.login):
                self.assertRefused(self._call("hy.task.ledger", "unlink", [entry.id]))
                self.assertRefused(
                    self._call("hy.task.ledger", "write", [entry.id], {"note": "sửa"})
                )
                self.assertRefused(
                    self._call("hy.task.ledger", "create", [{"task_id": self.task_a.id}])
                )
        self.assertTrue(entry.exists())

    @mute_logger("odoo.http")
    def test_finding_10_refusals_do_not_describe_hidden_tasks(self):
        self.task_b._report_done("Đã hoàn thành", date(2026, 6, 5))
        self.task_b.with_user(self.manager)._evaluate_and_confirm("good")
        self._login(self.user_a)
        message = self.assertRefused(
            self._call("hy.task", "write", [self.task_b.id], {"progress": 10})
        )
        self.assertNotIn(self.task_b.reference, message)
        # A classified task of another unit, asked for an extension by an uncleared officer.
        secret = self._task(
            directive_id=self.directive_conf.id,
            name=False,
            state="in_progress",
            assigned=date(2026, 6, 1),
        )
        self._login(self.officer_uncleared)
        message = self.assertRefused(
            self._call(
                "hy.task.extension",
                "create",
                [{"task_id": secret.id, "new_deadline": "2027-03-01", "reason": "x"}],
            )
        )
        self.assertNotIn(secret.reference, message)
        message = self.assertRefused(
            self._call("hy.task.transfer", "create", [{"task_id": secret.id, "to_unit_id": 1}])
        )
        self.assertNotIn(secret.reference, message)

    @mute_logger("odoo.http")
    def test_finding_15_plain_writes_skip_no_workflow_rule(self):
        self._login(self.portal_a)
        for values in (
            {"state": "returned"},
            {"state": "done", "date_done": "2026-06-05"},
            {"result": "Xong"},
            {"return_reason": "Không thuộc chức năng"},
            {"date_done": "2026-06-05"},
        ):
            with self.subTest(values=values):
                self.assertRefused(self._call("hy.task", "write", [self.task_a.id], values))
        self.task_a.invalidate_recordset()
        self.assertEqual(self.task_a.state, "in_progress")
        # The unit's own way: the workflow method, with its rules.
        self.task_a.with_user(self.portal_a)._unit_report_done("Đã xong", date(2026, 6, 5))
        self.assertEqual(self.task_a.state, "done")
        self.assertEqual(self.task_a.progress, 100)

    def test_finding_15_the_office_reports_done_only_for_units_without_the_software(self):
        with self.assertRaisesRegex(Exception, "uses the software"):
            self.task_a.with_user(self.officer)._report_done("Xong", date(2026, 6, 5))
        offline = self._task(unit=self.unit_off, state="in_progress", assigned=date(2026, 6, 1))
        offline.with_user(self.officer)._report_done("Xong", date(2026, 6, 5))
        self.assertEqual(offline.state, "done")

    @mute_logger("odoo.http")
    def test_forged_context_defaults_set_nothing(self):
        self._login(self.officer)
        values = {
            "directive_id": self.directive.id,
            "name": "Nhiệm vụ mới",
            "lead_unit_id": self.unit_a.id,
        }
        context = {"default_state": "in_progress", "default_confirmed": True}
        result, error, _message = self._call("hy.task", "create", [values], context=context)
        self.assertFalse(error)
        task = self.env["hy.task"].browse(result)
        self.assertEqual(task.state, "draft")
        self.assertFalse(task.confirmed)

    def test_finding_16_the_unit_form_offers_only_what_the_unit_may_change(self):
        for user in (self.user_a, self.officer):
            arch = self.env["hy.task"].with_user(user).get_views([(False, "form")])["views"]
            form = arch["form"]["arch"]
            with self.subTest(user=user.login):
                if user == self.user_a:
                    self.assertRegex(form, r'<field name="name"[^>]*readonly="[^"]*\bTrue\b')
                    self.assertRegex(
                        form, r'<field name="support_unit_ids"[^>]*readonly="[^"]*\bTrue\b'
                    )
                    self.assertNotRegex(form, r'<field name="progress"[^>]*readonly="[^"]*\bTrue\b')
                else:
                    self.assertNotRegex(form, r'<field name="name"[^>]*readonly="[^"]*\bTrue\b')

    @mute_logger("odoo.http")
    def test_a_deadline_beyond_the_century_is_refused_with_a_message(self):
        self._login(self.officer)
        message = self.assertRefused(
            self._call("hy.task", "write", [self.task_a.id], {"deadline": "9999-12-31"}),
            "odoo.exceptions.ValidationError",
        )
        self.assertIn("cannot be after 31/12/2099", message)
        self._login(self.user_a)
        message = self.assertRefused(
            self._call(
                "hy.task.extension",
                "create",
                [{"task_id": self.task_a.id, "new_deadline": "9999-12-31", "reason": "Chờ"}],
            ),
            "odoo.exceptions.ValidationError",
        )
        self.assertIn("cannot be after 31/12/2099", message)

    @mute_logger("odoo.http")
    def test_a_duplicate_starts_afresh(self):
        self.task_a._report_done("Đã xong", date(2026, 6, 5))
        self.task_a.with_user(self.manager)._evaluate_and_confirm("good")
        self._login(self.officer)
        result, error, _message = self._call("hy.task", "copy", [self.task_a.id])
        self.assertFalse(error)
        copy = self.env["hy.task"].browse(result)
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.confirmed or copy.quality or copy.date_assigned or copy.result)
        self.assertEqual((copy.name, copy.lead_unit_id), (self.task_a.name, self.unit_a))
        # What the copy is given explicitly is checked like any other value.
        self.assertRefused(
            self._call("hy.task", "copy", [self.task_a.id], default={"confirmed": True})
        )

    @mute_logger("odoo.http")
    def test_finding_7_a_classified_directive_takes_no_file_name(self):
        self._login(self.officer)
        message = self.assertRefused(
            self._call(
                "hy.directive",
                "write",
                [self.directive_conf.id],
                {"document_filename": "ke-hoach-bao-ve-bi-mat.pdf"},
            ),
            "odoo.exceptions.ValidationError",
        )
        self.assertIn("classified", message)
        self.assertFalse(self.directive_conf.document_filename)
