from datetime import timedelta

from odoo.tests import HttpCase, tagged

from ..models.hy_task import hy_today
from .common import TestHyCommon


@tagged("post_install", "-at_install")
class TestOverviewTour(TestHyCommon, HttpCase):
    def test_the_chairman_clicks_from_the_chart_to_the_tasks(self):
        unit = self.env["hy.unit"].create(
            {"name": "Sở Khoa học và Công nghệ (thử)", "code": "T-SKHCN"}
        )
        today = hy_today()
        directive = self._directive(
            name="Kế hoạch",
            number="990/KH-UBND",
            issue_date=today - timedelta(days=120),
            summary="Chuyển đổi số năm 2026",
        )
        # More overdue tasks than any unit of the demo data: the unit gets the first bar.
        for days in (50, 40, 30, 20, 10):
            self._task(
                unit=unit,
                directive_id=directive.id,
                deadline=today - timedelta(days=days),
                state="assigned",
            )
        self._task(unit=unit, directive_id=directive.id, deadline=today + timedelta(days=30))
        self.start_tour("/odoo", "hy_task_overview_tour", login=self.leader.login)
