import base64
import hashlib
import io
import shutil
import tempfile
from unittest.mock import patch

from odoo import sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import config, mute_logger
from odoo.tools.pdf import PdfFileReader

from ..models.hy_report_period_files import RENDER_LOCK
from .common import TODAY, TestHyReportCommon

REPORT = "hy_task_reports.report_hy_report_period"


def pdf_text(content):
    reader = PdfFileReader(io.BytesIO(content), strict=False)
    return "\n".join(page.extractText() for page in reader.pages)


@tagged("post_install", "-at_install")
class TestReportFiles(TestHyReportCommon, HttpCase):
    """An approved report is rendered once, by the job, and served as it was made."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(TODAY):
            cls.period = cls._period(unit_ids=[(6, 0, (cls.unit_a | cls.unit_b).ids)])
            cls.period.action_compute()
            cls.period.with_user(cls.manager).action_approve()

    def _run_job(self):
        self.env["hy.report.period"]._cron_render_files()
        self.period.invalidate_recordset()

    def _pdf_as(self, user, period=None):
        Report = self.env["ir.actions.report"].with_user(user)
        pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            REPORT, (period or self.period).ids
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def test_approval_prepares_the_files_once_and_downloads_serve_them(self):
        self.assertEqual(self.period.files_state, "preparing")
        # Until the job has run, the Office is told, not kept waiting.
        with self.assertRaisesRegex(UserError, "being prepared"):
            self._pdf_as(self.leader)
        self._run_job()
        self.assertEqual(self.period.files_state, "ready")
        stored = self.period._file("pdf_file")
        self.assertEqual(stored[:5], b"%PDF-")
        self.assertEqual(self.period.pdf_sha256, hashlib.sha256(stored).hexdigest())
        xlsx = self.period._file("xlsx_file")
        self.assertEqual(self.period.xlsx_sha256, hashlib.sha256(xlsx).hexdigest())
        # The leadership and the Office download the very file the job made, each time.
        for user in (self.leader, self.officer, self.leader):
            self.assertEqual(self._pdf_as(user), stored)
        # The XLSX route too.
        self.authenticate("r_officer", "r_officer")
        response = self.url_open(f"/hy_task_reports/period/{self.period.id}/xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, xlsx)

    def test_a_unit_gets_its_own_view_never_the_stored_file(self):
        self._run_job()
        own = self._pdf_as(self.user_a)
        self.assertNotEqual(own, self.period._file("pdf_file"))
        text = pdf_text(own)
        self.assertIn("Sở Nội vụ (thử)", text)
        self.assertNotIn("Sở Tài chính (thử)", text)
        # Nor can it read the stored files through their attachments.
        attachments = (
            self.env["ir.attachment"]
            .with_context(skip_res_field_check=True)
            .search([("res_model", "=", "hy.report.period"), ("res_id", "=", self.period.id)])
        )
        self.assertEqual(
            set(attachments.mapped("res_field")), {"pdf_file", "xlsx_file", "public_pdf_file"}
        )
        for attachment in attachments:
            with self.assertRaises(AccessError):
                attachment.with_user(self.user_a).read(["datas"])
        with self.assertRaises(AccessError):
            self.period.with_user(self.user_a).read(["pdf_file"])

    def test_nobody_writes_the_files_or_their_fingerprints(self):
        self._run_job()
        fake = base64.b64encode(b"%PDF-1.4 forged")
        for user in (self.manager, self.officer, self.user_a):
            for vals in (
                {"pdf_file": fake},
                {"pdf_sha256": "0" * 64},
                {"files_state": "preparing"},
                {"pdf_signer": "Someone else"},
            ):
                with (
                    self.subTest(user=user.login, field=next(iter(vals))),
                    self.assertRaises(AccessError),
                    mute_logger("odoo.models"),
                ):
                    self.period.with_user(user).write(vals)
        stored = self.period._file("pdf_file")
        self.assertEqual(self.period.pdf_sha256, hashlib.sha256(stored).hexdigest())

    def test_a_new_revision_has_new_files_and_keeps_the_old_ones(self):
        self._run_job()
        old_sha = self.period.pdf_sha256
        with freeze_time(TODAY):
            action = self.period.with_user(self.officer).action_new_revision()
        revision = self.env["hy.report.period"].browse(action["res_id"])
        self.assertEqual(revision.files_state, "none")
        with freeze_time(TODAY):
            revision.with_user(self.manager).action_approve()
        self.env["hy.report.period"]._cron_render_files()
        self.assertEqual(revision.files_state, "ready")
        self.assertEqual(self.period.pdf_sha256, old_sha)
        self.assertTrue(self.period._file("pdf_file"))
        self.assertNotEqual(revision.pdf_sha256, old_sha)

    def test_one_render_at_a_time_per_user(self):
        # A draft is rendered on demand; another request of the same user, in another
        # worker (another connection), holds the user's lock: a clear message.
        with freeze_time(TODAY):
            draft = self._period(kind="annual", unit_ids=[(6, 0, self.unit_a.ids)])
            draft.action_compute()
        other = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute("SELECT pg_advisory_lock(%s, %s)", [RENDER_LOCK, self.officer.id])
            with self.assertRaisesRegex(UserError, "still being prepared"):
                self._pdf_as(self.officer, draft)
            # Another user is not held up.
            self.assertEqual(self._pdf_as(self.manager, draft)[:5], b"%PDF-")
        finally:
            other.execute("SELECT pg_advisory_unlock_all()")
            other.close()

    def test_publishing_serves_the_signed_public_edition(self):
        self._run_job()
        self.assertTrue(self.period.pdf_signer, "the Office's certificate signs")
        self.period.with_user(self.manager).action_publish()
        public = self.url_open(f"/bao-cao-nhiem-vu/{self.period.id}.pdf")
        self.assertEqual(public.status_code, 200)
        self.assertEqual(hashlib.sha256(public.content).hexdigest(), self.period.public_pdf_sha256)
        self.assertIn(b"/ByteRange", public.content)
        # The page gives the fingerprint and the signer.
        page = self.url_open(f"/bao-cao-nhiem-vu/{self.period.id}").text
        self.assertIn(self.period.public_pdf_sha256, page)
        self.assertIn(self.period.pdf_signer, page)
        # The public edition counts the units' tasks of classified directives only in the
        # province's total, as the public page does: unit B has one.
        line_b = self.period.line_ids.filtered(lambda line: line.unit_id == self.unit_b)
        public_b = (
            self.period.with_context(hy_public_edition=True)
            ._sorted_lines()
            .filtered(lambda line: line.unit_id == self.unit_b)
        )
        self.assertEqual(line_b.classified_count, 1)
        self.assertEqual(public_b.assigned_count, line_b.assigned_count - 1)
        self.assertNotEqual(public.content, self.period._file("pdf_file"))

    def test_the_number_given_after_approval_is_in_the_files(self):
        self._run_job()
        before = self.period.pdf_sha256
        self.period.with_user(self.officer).write({"document_number": "125/BC-VPUBND"})
        self.assertEqual(self.period.files_state, "preparing")
        self._run_job()
        self.assertNotEqual(self.period.pdf_sha256, before)
        self.assertIn("125/BC-VPUBND", pdf_text(self.period._file("pdf_file")))
        self.period.with_user(self.manager).action_publish()
        # Published and signed: the number can no longer change.
        with self.assertRaisesRegex(UserError, "signed file"):
            self.period.with_user(self.officer).write({"document_number": "126/BC-VPUBND"})

    def test_only_the_office_prepares_the_files_again(self):
        self._run_job()
        for user in (self.user_a, self.portal_a, self.leader):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.period.with_user(user).action_prepare_files()
        self.assertEqual(self.period.files_state, "ready")
        self.period.with_user(self.officer).action_prepare_files()
        self.assertEqual(self.period.files_state, "preparing")

    def test_an_approved_unpublished_report_has_no_public_file(self):
        self._run_job()
        self.assertEqual(self.url_open(f"/bao-cao-nhiem-vu/{self.period.id}.pdf").status_code, 404)

    def test_publishing_needs_the_files_and_a_certificate(self):
        with self.assertRaisesRegex(UserError, "not ready"):
            self.period.with_user(self.manager).action_publish()
        self._run_job()
        # A server without the Office's certificate (another data directory).
        empty = tempfile.mkdtemp(prefix="hy_no_certificate_")
        self.addCleanup(shutil.rmtree, empty, ignore_errors=True)
        self.startPatcher(patch.dict(config.options, {"hy_signing_dir": empty}))
        # Files made without a certificate are signed at publication: none, no publication.
        self.period.sudo().write({"pdf_signer": False})  # sudo: as if made before a certificate
        with self.assertRaises(UserError):
            self.period.with_user(self.manager).action_publish()
        self.assertEqual(self.period.state, "approved")
