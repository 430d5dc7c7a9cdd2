import base64
import hashlib
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .report_figures import FROZEN_STATES, OFFICE_AND_LEADERSHIP

PERIOD_REPORT = "hy_task_reports.report_hy_report_period"
# The first key of the advisory locks that let each user render one report at a time; the
# second is the user's id. Any number no other lock of the database uses.
RENDER_LOCK = 74_260_026
# The stored files; each has its SHA-256 beside it (pdf_file: pdf_sha256).
FILE_FIELDS = ("pdf_file", "xlsx_file", "public_pdf_file")


def sha256(content):
    return hashlib.sha256(content).hexdigest()


# hy.report.period is split by concern (figures, snapshot, files): this file holds its files.
class HyReportPeriod(models.Model):
    """The files of an approved report, rendered once by a job and kept (issue: rendered once).

    An approved period never changes, so its PDF, its XLSX and the public edition of its PDF
    (the units' figures without their tasks of classified directives, as the public page shows
    them) are made once, outside any web request, by the "report files" job, and stored with
    their SHA-256. Downloads serve the stored files; the published PDF is signed (PAdES) with
    the Office's certificate. A new revision is a new period, with files of its own: the old
    ones stay. Drafts, and a unit's own view of an approved report, are rendered on demand,
    one at a time per user.
    """

    _inherit = "hy.report.period"  # pylint: disable=consider-merging-classes-inherited

    files_state = fields.Selection(
        [
            ("none", "Not prepared"),
            ("preparing", "Preparing"),
            ("ready", "Ready"),
            ("failed", "Failed"),
        ],
        string="Files",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        help="The approved report's PDF and XLSX are prepared once, in the background, after "
        "approval; downloads then serve them as they were made.",
    )
    files_error = fields.Text(
        string="Why the Files Failed", readonly=True, copy=False, groups=OFFICE_AND_LEADERSHIP
    )
    files_date = fields.Datetime(string="Files Prepared On", readonly=True, copy=False)
    pdf_file = fields.Binary(
        string="PDF", attachment=True, readonly=True, copy=False, groups=OFFICE_AND_LEADERSHIP
    )
    pdf_sha256 = fields.Char(string="PDF SHA-256", readonly=True, copy=False)
    xlsx_file = fields.Binary(
        string="XLSX", attachment=True, readonly=True, copy=False, groups=OFFICE_AND_LEADERSHIP
    )
    xlsx_sha256 = fields.Char(string="XLSX SHA-256", readonly=True, copy=False)
    public_pdf_file = fields.Binary(
        string="Published PDF",
        attachment=True,
        readonly=True,
        copy=False,
        groups=OFFICE_AND_LEADERSHIP,
        help="The edition of the report for the public results page: the units' figures "
        "without their tasks of classified directives, which count in the province's total.",
    )
    public_pdf_sha256 = fields.Char(
        string="Published PDF SHA-256",
        readonly=True,
        copy=False,
        help="Anyone can compare it with the file they hold: sha256sum, or Get-FileHash.",
    )
    pdf_filename = fields.Char(compute="_compute_filenames")
    xlsx_filename = fields.Char(compute="_compute_filenames")
    public_pdf_filename = fields.Char(compute="_compute_filenames")
    pdf_signer = fields.Char(string="Signed By (certificate)", readonly=True, copy=False)
    pdf_signed_date = fields.Datetime(string="Signed On", readonly=True, copy=False)
    pdf_certificate = fields.Text(
        string="Signing Certificate (PEM)",
        readonly=True,
        copy=False,
        help="The public certificate that signed the PDFs, as readers import it to check them.",
    )

    @api.depends("name", "revision")
    def _compute_filenames(self):
        for period in self:
            stem = re.sub(r"[^\w.-]+", "_", period.name or "").strip("_") or "report"
            stem = f"{stem}-r{period.revision}"
            period.pdf_filename = f"{stem}.pdf"
            period.xlsx_filename = f"{stem}.xlsx"
            period.public_pdf_filename = f"{stem}-public.pdf"

    # ------------------------------------------------------------------ the job

    def _queue_files(self):
        """Approved: the job prepares the files as soon as it can."""
        # sudo: the files' status is the job's, set by the approval (checked by its caller).
        self.sudo().write({"files_state": "preparing", "files_error": False})  # sudo: see above
        self.env.ref("hy_task_reports.ir_cron_report_files")._trigger()

    def action_prepare_files(self):
        """Office: prepare the files again, after a failure."""
        self.env["hy.task"]._check_office()
        self.check_access("write")
        if any(period.state not in FROZEN_STATES for period in self):
            raise UserError(_("Only an approved report has files to prepare."))
        self._queue_files()
        return True

    @api.model
    def _cron_render_files(self):
        return self.env["hy.job.status"]._run("report_files", self._render_files_job).result

    def _render_files_job(self, run):
        periods = self.search(
            [("files_state", "=", "preparing"), ("state", "in", FROZEN_STATES)], order="id"
        )
        for period in periods:
            done = run.each(period, lambda p: p._render_files(), lambda p: p.display_name)
            if not done:
                error = run.failures[-1][1] if run.failures else ""
                period.write({"files_state": "failed", "files_error": str(error)})
                run.commit()
        run.result = periods

    def _render_files(self):
        """Render and store the files of these approved periods, as the Office reads them."""
        # sudo: the stored files hold every unit's line, as the Office and the leadership read
        # them; who may download them is decided when they are served (_stored_file).
        Report = (
            self.env["ir.actions.report"]
            .sudo()  # sudo: see above
            # A real PDF, under tests too; made here, not taken from the stored ones.
            .with_context(force_report_rendering=True, hy_render_files=True)
        )
        Xlsx = self.env["report.hy_task_reports.period_xlsx"].sudo()  # sudo: same
        signer = self.env["hy.report.signer"]
        for period in self.sudo():  # sudo: same
            pdf, __ = Report._render_qweb_pdf(PERIOD_REPORT, period.ids)
            public_pdf, __ = Report.with_context(hy_public_edition=True)._render_qweb_pdf(
                PERIOD_REPORT, period.ids
            )
            xlsx = Xlsx._generate(period)
            vals = {
                "files_state": "ready",
                "files_error": False,
                "files_date": fields.Datetime.now(),
                "pdf_file": pdf,
                "xlsx_file": xlsx,
                "public_pdf_file": public_pdf,
            }
            if signer._signing_certificate_info():
                vals.update(period._signed(pdf, public_pdf))
            period._store_files(vals)

    def _store_files(self, vals):
        """Write ``vals``, whose files are raw bytes, with the SHA-256 of each file."""
        for name in FILE_FIELDS:
            if name in vals:
                vals[f"{name.removesuffix('_file')}_sha256"] = sha256(vals[name])
                vals[name] = base64.b64encode(vals[name])
        self.write(vals)

    def _signed(self, pdf, public_pdf):
        """The values of both PDFs signed with the Office's certificate."""
        signer = self.env["hy.report.signer"]
        reason = _("Approved report %s", self.document_number or self.display_name)
        signed_pdf, name = signer._sign_pdf(pdf, reason=reason)
        signed_public, __ = signer._sign_pdf(public_pdf, reason=reason)
        return {
            "pdf_file": signed_pdf,
            "public_pdf_file": signed_public,
            "pdf_signer": name,
            "pdf_signed_date": fields.Datetime.now(),
            "pdf_certificate": signer._certificate_pem(),
        }

    def _sign_stored_files(self):
        """Publishing: files made before the Office had a certificate are signed now."""
        for period in self.sudo().filtered(lambda p: not p.pdf_signer):  # sudo: the job's files
            period._store_files(
                period._signed(period._file("pdf_file"), period._file("public_pdf_file"))
            )

    def _file(self, field_name):
        """The raw bytes of a stored file (the caller has checked who may have them)."""
        self.ensure_one()
        value = self.sudo().with_context(bin_size=False)[field_name]  # sudo: checked by caller
        return base64.b64decode(value) if value else b""

    # ------------------------------------------------------------------ serving

    def _reads_stored_files(self):
        """Whether the current user may have the stored files, which hold every unit's line:
        the Office and the leadership (as they read every line)."""
        return self._reads_office_figures()

    def _stored_file(self, field_name):
        """The stored file for the current user, or None when it must be rendered for them.

        The Office and the leadership get the approved report's stored files; until they
        are ready, a clear message. A unit reads its own lines only: its view of the report
        is rendered for it (_render_lock)."""
        self.ensure_one()
        self._check_report_access()
        if not self._serves_stored_files():
            return None
        self._check_files_ready()
        if field_name != "xlsx_file":
            self.env["report.hy_task_reports.report_hy_report_period"]._log_classified_print(self)
        return self._file(field_name)

    def _serves_stored_files(self):
        """Whether the current user gets this report's stored files (else a render)."""
        self.ensure_one()
        return self.state in FROZEN_STATES and self._reads_stored_files()

    def _check_files_ready(self):
        """A clear message while the files of an approved report are not ready."""
        for period in self:
            if period.files_state != "ready":
                raise UserError(period._files_not_ready_message())

    def _files_not_ready_message(self):
        if self.files_state == "failed":
            return _(
                "The files of report %s could not be prepared: the Office can prepare them "
                "again from the report.",
                self.display_name,
            )
        return _(
            "The files of report %s are being prepared; they will be ready in a few minutes.",
            self.display_name,
        )

    @api.model
    def _render_lock(self):
        """One report rendered at a time per user: a second one, in another tab or worker,
        gets a clear message instead of holding a second worker for seconds."""
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", RENDER_LOCK, self.env.uid)
        )
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                _(
                    "A report you asked for is still being prepared. Wait until it has "
                    "downloaded, then try again."
                )
            )

    @api.model
    def _public_certificate(self, period_id):
        """The certificate that signed a published report (public by nature), or None."""
        domain = [("id", "=", period_id), ("state", "=", "published")]
        period = self.sudo().search(domain)  # sudo: anonymous visitors; published ones only
        return period.pdf_certificate or None

    @api.model
    def _public_pdf(self, period_id):
        """The signed public edition of a published report, or None.

        sudo: the public results page is read by anonymous visitors; only a published
        period's public edition (no content, classified tasks in the province's total only)
        leaves this method."""
        period = self.sudo().search(  # sudo: see the docstring
            [("id", "=", period_id), ("state", "=", "published"), ("files_state", "=", "ready")]
        )
        if not period:
            return None
        return period._file("public_pdf_file")
