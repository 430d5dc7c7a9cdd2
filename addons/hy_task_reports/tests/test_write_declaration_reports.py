from odoo.tests import tagged

from odoo.addons.hy_task_tracking.tests.test_write_declaration import WriteMatrixCase


@tagged("post_install", "-at_install", "hy_write_matrix")
class TestReportWriteDeclaration(WriteMatrixCase):
    """The write matrix of the reports' models (the walk is hy_task_tracking's)."""

    module = "hy_task_reports"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        period = cls.env["hy.report.period"].create({"kind": "annual", "year": 2026})
        period.action_compute()
        cls.period = period
        submission = cls.env["hy.report.unit.submission"].create(
            {
                "period_id": period.id,
                "unit_id": cls.unit_a.id,
                "text": "Báo cáo kết quả thực hiện nhiệm vụ năm 2026 của Sở Nội vụ.",
            }
        )
        cls.records_by_model = {
            "hy.report.period": period,
            "hy.report.line": period.line_ids[:1] or None,
            "hy.report.entry": cls.env["hy.report.entry"].search(
                [("period_id", "=", period.id)], limit=1
            )
            or None,
            "hy.report.unit.submission": submission,
        }

    def test_every_field_of_every_model_by_every_role(self):
        self._check_every_cell()

    def test_readme_shows_the_declaration(self):
        self._check_readme()
