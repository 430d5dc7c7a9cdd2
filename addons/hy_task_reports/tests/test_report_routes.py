import io
import time

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from ..models.ir_actions_report import MAX_REPORT_RECORDS
from .common import TODAY, TestHyReportCommon

REPORT = "hy_task_reports.report_hy_report_period"
TOO_MANY = "At most %s reports can be printed at once" % MAX_REPORT_RECORDS


@tagged("post_install", "-at_install")
class TestReportRoutes(TestHyReportCommon, HttpCase):
    """The report routes print each period once per request, and a bounded number of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.period = cls._period(unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)])
            cls.period.action_compute()
            cls.period.action_approve()

    def _documents(self, response, period):
        """How many times ``period`` was rendered in the (HTML) report of ``response``."""
        return response.text.count(f'data-oe-id="{period.id}"')

    def test_one_period_given_many_times_renders_once(self):
        self.authenticate("r_portal_a", "r_portal_a")
        ids = ",".join([str(self.period.id)] * 12)
        # Under test, /report/pdf renders the report's HTML (Odoo prints no PDF unless told
        # to): one document per period it prints.
        for converter in ("pdf", "html"):
            with self.subTest(converter=converter):
                response = self.url_open(f"/report/{converter}/{REPORT}/{ids}")
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self._documents(response, self.period), 1)

    def test_real_pdf_of_a_repeated_id_is_the_pdf_of_the_period(self):
        # The PDF for real (test_report_render prints it through the route too).
        Report = self.env["ir.actions.report"].with_user(self.portal_a)
        Report = Report.with_context(force_report_rendering=True)

        def pages(ids):
            start = time.monotonic()
            pdf, _kind = Report._render_qweb_pdf(REPORT, ids)
            reader = PdfFileReader(io.BytesIO(pdf), strict=False)
            return reader.getNumPages(), time.monotonic() - start

        once, once_took = pages([self.period.id])
        twelve, twelve_took = pages([self.period.id] * 12)
        self.assertEqual(twelve, once)
        # One document printed, not twelve: room for a slow machine, not for 12 of them.
        self.assertLess(twelve_took, once_took * 4 + 2)

    @mute_logger("odoo.http")
    def test_too_many_periods_are_refused_with_a_message(self):
        self.authenticate("r_portal_a", "r_portal_a")
        # Distinct ids beyond the cap: refused before anything is read or rendered.
        many = ",".join(str(self.period.id + n) for n in range(MAX_REPORT_RECORDS + 1))
        for converter in ("pdf", "html", "text"):
            with self.subTest(converter=converter):
                response = self.url_open(f"/report/{converter}/{REPORT}/{many}")
                self.assertEqual(response.status_code, 400)
                self.assertIn(TOO_MANY, response.text)
                self.assertNotIn("Traceback", response.text)
        # Up to the cap, counted after removing repeats, the period prints.
        at_cap = ",".join([str(self.period.id)] * (MAX_REPORT_RECORDS * 3))
        response = self.url_open(f"/report/html/{REPORT}/{at_cap}")
        self.assertEqual(response.status_code, 200)

    def test_the_cap_holds_for_the_orm_too(self):
        Report = self.env["ir.actions.report"].with_user(self.manager)
        ids = [self.period.id + n for n in range(MAX_REPORT_RECORDS + 1)]
        for render in (Report._render_qweb_pdf, Report._render_qweb_html, Report._render_qweb_text):
            with self.subTest(render=render.__name__), self.assertRaisesRegex(UserError, TOO_MANY):
                render(REPORT, ids)
        # Repeats are removed before counting: the period prints once.
        html, _kind = Report._render_qweb_html(REPORT, [self.period.id] * (MAX_REPORT_RECORDS + 1))
        self.assertEqual(html.decode().count('class="article o_hy_report"'), 1)

    @mute_logger("odoo.http")
    def test_nul_in_the_report_portal_form(self):
        self.authenticate("r_portal_a", "r_portal_a")
        response = self.url_open(
            f"/my/hy_reports/{self.period.id}/submit",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "unit_id": str(self.unit_a.id),
                "text": "Báo cáo\x00",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("The request contains a NUL character", response.text)
        self.assertNotIn("Traceback", response.text)
        submissions = self.env["hy.report.unit.submission"].search(
            [("period_id", "=", self.period.id)]
        )
        self.assertFalse(submissions)
