from odoo.tests import HttpCase, freeze_time, tagged

from .common import TODAY, TestHyReportCommon


@tagged("post_install", "-at_install")
class TestDrillDownTour(TestHyReportCommon, HttpCase):
    def test_click_a_figure_in_the_browser(self):
        with freeze_time(TODAY):
            period = self._period(unit_ids=[(6, 0, (self.unit_a | self.unit_b).ids)])
            period.action_compute()
        # Three of A's tasks in progress were overdue on 30 June (the task A returned is not
        # overdue: it waits for the Office).
        self.assertEqual(self._line(period, self.unit_a).in_progress_overdue_count, 3)
        self.start_tour(
            f"/odoo/action-hy_task_reports.hy_report_period_action/{period.id}",
            "hy_report_drill_down_tour",
            login="r_officer",
        )
