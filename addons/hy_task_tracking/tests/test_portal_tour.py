from datetime import timedelta

from odoo.tests import HttpCase, tagged

from ..models.hy_task import hy_today
from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestPortalTour(TestHyCommon, HttpCase):
    def test_unit_member_updates_and_reports_an_overdue_task(self):
        today = hy_today()
        directive = self._directive()
        task = self._task(
            directive_id=directive.id,
            name="Hoàn thành giải phóng mặt bằng Khu công nghiệp",
            deadline=today - timedelta(days=10),
            state="assigned",
        )
        self.start_tour("/my", "hy_task_portal_tour", login=self.portal_a.login)
        self.env.invalidate_all()
        self.assertEqual(task.state, "done")
        # Late by its date for the national category; shown as awaiting confirmation.
        self.assertEqual(task.status_category, "done_late")
        self.assertEqual(task.progress_status, "done_unconfirmed")
        self.assertEqual(task.date_done, today)
        self.assertEqual(task.result, "Đã bàn giao mặt bằng cho chủ đầu tư")
        update = self.env["hy.task.update"].search([("task_id", "=", task.id)])
        self.assertEqual(update.progress, 60)
        self.assertEqual(update.author_id, self.portal_a)
