import base64
from datetime import date

from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import TestHyCommon

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@tagged("post_install", "-at_install")
class TestBackendUpdates(TestHyCommon):
    """A backend unit user reports progress as the portal does: an update with a note, a
    percentage and files, in the task's Progress Updates tab."""

    def _dialog(self, user, task):
        """The "Update Progress" dialog of ``task``'s form, as ``user`` opens it."""
        action = self.env.ref("hy_task_tracking.hy_task_update_action_post")
        return Form(
            self.env["hy.task.update"]
            .with_user(user)
            .with_context(default_task_id=task.id, default_progress=task.progress),
            view=action.view_id,
        )

    def _upload(self, user, name="bien_ban.pdf", raw=PDF):
        # As the web client's upload route stores a file for a record not saved yet.
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create({"name": name, "datas": base64.b64encode(raw), "res_model": "hy.task.update"})
        )

    def test_the_lead_unit_sees_the_button(self):
        task = self._assigned(date(2026, 12, 31))
        for user, shown in ((self.user_a, True), (self.officer, False)):
            arch = task.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            buttons = etree.fromstring(arch).xpath("//header/button[@string='Update Progress']")
            self.assertEqual(bool(buttons), shown, user.login)

    def test_a_unit_user_posts_an_update_with_a_file(self):
        task = self._assigned(date(2026, 12, 31))
        upload = self._upload(self.user_a)
        with self._dialog(self.user_a, task) as dialog:
            dialog.progress = 40
            dialog.note = "Đã họp liên ngành, đang tổng hợp ý kiến"
            dialog.attachment_ids.add(upload)
        update = task.update_ids
        self.assertEqual(len(update), 1)
        self.assertEqual(update.role, "lead")
        self.assertEqual(update.unit_id, self.unit_a)
        self.assertEqual(update.author_id, self.user_a)
        self.assertEqual(update.attachment_ids, upload)
        # The file belongs to the task now: whoever reads the task reads it.
        self.assertEqual((upload.res_model, upload.res_id), ("hy.task", task.id))
        # The task follows: its progress, and reporting progress starts the work.
        self.assertEqual(task.progress, 40)
        self.assertEqual(task.state, "in_progress")
        # The Office reads it in the tab, and in the chatter.
        self.assertEqual(task.with_user(self.officer).update_ids, update)
        self.assertIn("Đã họp liên ngành", task.message_ids[0].body)

    def test_others_cannot_post(self):
        task = self._assigned(date(2026, 12, 31))
        # Another unit's user does not even read the task.
        with self.assertRaises(AccessError):
            self.env["hy.task.update"].with_user(self.user_b).create(
                {"task_id": task.id, "progress": 30, "note": "Không phải của chúng tôi"}
            )
        self.assertFalse(task.update_ids)
        self.assertEqual(task.progress, 0)

    def test_only_fresh_uploads_of_the_user_are_attached(self):
        task = self._assigned(date(2026, 12, 31))
        # Someone else's file, or one attached to another record, is refused.
        foreign = self._upload(self.officer)
        with self.assertRaises(AccessError):
            self.env["hy.task.update"].with_user(self.user_a).create(
                {
                    "task_id": task.id,
                    "progress": 30,
                    "note": "Kèm tệp",
                    "attachment_ids": [(6, 0, foreign.ids)],
                }
            )
        # A file the portal would refuse is refused here too.
        page = self._upload(self.user_a, name="trang.html", raw=b"<html><script></script></html>")
        with self.assertRaises(ValidationError):
            self.env["hy.task.update"].with_user(self.user_a).create(
                {
                    "task_id": task.id,
                    "progress": 30,
                    "note": "Kèm tệp",
                    "attachment_ids": [(6, 0, page.ids)],
                }
            )
        self.assertFalse(task.update_ids)
