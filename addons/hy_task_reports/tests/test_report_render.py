from datetime import date

from odoo.tests import HttpCase, freeze_time, tagged

from .common import TODAY, TestHyReportCommon

REPORT = "hy_task_reports.report_hy_report_period"


class ReportCase(TestHyReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The PDF is in Vietnamese whenever Vietnamese is installed.
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(["hy_task_reports"], ["vi_VN"])
        with freeze_time(TODAY):
            cls.period = cls._period(
                unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)],
                document_number="125/BC-VPUBND",
                document_date=date(2026, 2, 5),
                signer_name="Nguyễn Văn Hùng",
                evaluation="Các sở, ngành đã tích cực triển khai nhiệm vụ được giao.",
            )
            cls.period.action_compute()
            cls.period.action_approve()


@tagged("post_install", "-at_install")
class TestReportHtml(ReportCase):
    """The content of the PDF, through its HTML (a forced PDF render cannot run here)."""

    def test_vietnamese_administrative_document(self):
        html, kind = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.period.ids)
        self.assertEqual(kind, "html")
        html = html.decode()
        for text in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH HƯNG YÊN",
            "VĂN PHÒNG",
            "Số:",
            "125/BC-VPUBND",
            # Decree 30/2020: a zero before days under 10 and months under 3
            "Hưng Yên</span>, ngày 05 tháng 02 năm 2026",
            "BÁO CÁO",
            "Nơi nhận:",
            "KT. CHÁNH VĂN PHÒNG",
            "Nguyễn Văn Hùng",
            self.unit_a.name,
            self.unit_b.name,
            "Các sở, ngành đã tích cực triển khai nhiệm vụ được giao.",
        ):
            self.assertIn(text, html)
        # Classified directives appear only as counts.
        self.assertNotIn(self.directive_conf.number, html)
        self.assertNotIn("Rà soát thủ tục hành chính", html)
        self.assertNotIn("DỰ THẢO", html)

    def test_printing_classified_counts_is_logged(self):
        Log = self.env["hy.classified.access.log"]
        before = Log.search_count([("operation", "=", "print")])
        self.env["ir.actions.report"].with_user(self.officer)._render_qweb_html(
            REPORT, self.period.ids
        )
        logs = Log.search([("operation", "=", "print")], order="id desc")
        self.assertEqual(len(logs) - before, 1)
        self.assertEqual(
            (logs[0].res_model, logs[0].res_id, logs[0].user_id),
            ("hy.directive", self.directive_conf.id, self.officer),
        )

    def test_unit_user_prints_only_their_unit(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.user_a)
            ._render_qweb_html(REPORT, self.period.ids)[0]
            .decode()
        )
        self.assertIn(self.unit_a.name, html)
        self.assertNotIn(self.unit_b.name, html)


@tagged("post_install", "-at_install")
class TestReportPdf(ReportCase, HttpCase):
    def test_real_pdf(self):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.period.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
