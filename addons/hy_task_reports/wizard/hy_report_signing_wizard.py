import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.hy_task_tracking.models.hy_write_guard import MANAGER

UPLOAD_FIELDS = ("p12_file", "p12_filename", "passphrase")


class HyReportSigningWizard(models.TransientModel):
    """The Office manager uploads, replaces or removes the certificate that signs the
    published report PDFs (hy.report.signer).

    The file and its passphrase are never stored, not even in this wizard's table: like
    res.users' password, they are computed fields whose inverse stores the certificate
    (encrypted, outside the database) as soon as the dialog is saved, which the Upload button
    does first. A wrong file or passphrase is refused there, and nothing is written.
    """

    _name = "hy.report.signing.wizard"
    _description = "Signing Certificate"
    _inherit = ["hy.write.guard"]
    # Who may write what (hy.write.guard): the Office managers give the file and passphrase;
    # hy.report.signer checks it again before storing anything.
    _hy_create_fields = dict.fromkeys(UPLOAD_FIELDS, MANAGER)
    _hy_write_fields = _hy_create_fields

    p12_file = fields.Binary(
        string="Certificate File (.p12, .pfx)",
        compute="_compute_upload",
        inverse="_inverse_upload",
        help="The certificate with its private key, as exported by the signing software or the "
        "token's tool (PKCS#12).",
    )
    p12_filename = fields.Char(
        string="File Name", compute="_compute_upload", inverse="_inverse_upload"
    )
    passphrase = fields.Char(
        compute="_compute_upload",
        inverse="_inverse_upload",
        help="The passphrase set when the file was exported. It is used once to open the file "
        "and not kept.",
    )
    uploaded = fields.Boolean(readonly=True)
    has_certificate = fields.Boolean(compute="_compute_certificate")
    certificate_common_name = fields.Char(string="Signer", compute="_compute_certificate")
    certificate_organization = fields.Char(string="Organization", compute="_compute_certificate")
    certificate_issuer = fields.Char(string="Issued by", compute="_compute_certificate")
    certificate_valid_from = fields.Datetime(string="Valid from", compute="_compute_certificate")
    certificate_valid_to = fields.Datetime(string="Valid until", compute="_compute_certificate")
    certificate_fingerprint = fields.Char(
        string="SHA-256 Fingerprint",
        compute="_compute_certificate",
        help="Readers compare it with the fingerprint their PDF reader shows for the signer's "
        "certificate.",
    )
    certificate_expired = fields.Boolean(string="Expired", compute="_compute_certificate")

    def _compute_upload(self):
        # Nothing is kept: the fields are empty once the certificate is stored.
        for wizard in self:
            wizard.p12_file = wizard.p12_filename = wizard.passphrase = False

    def _inverse_upload(self):
        self._check_manager()
        for wizard in self:
            if not wizard.p12_file:
                continue
            try:
                data = base64.b64decode(wizard.p12_file, validate=True)
            except (binascii.Error, ValueError):
                raise UserError(self.env._("The file could not be read.")) from None
            self.env["hy.report.signer"]._store_certificate(data, wizard.passphrase or "")
            wizard.sudo().uploaded = True  # sudo: workflow field, set once the signer stored it
        # Read afresh (empty): the dialog does not get the file and passphrase back.
        self.invalidate_recordset(list(UPLOAD_FIELDS))

    def _compute_certificate(self):
        info = self.env["hy.report.signer"]._signing_certificate_info() or {}
        for wizard in self:
            wizard.has_certificate = bool(info)
            wizard.certificate_common_name = info.get("common_name")
            wizard.certificate_organization = info.get("organization")
            wizard.certificate_issuer = info.get("issuer_common_name")
            wizard.certificate_valid_from = info.get("valid_from")
            wizard.certificate_valid_to = info.get("valid_to")
            wizard.certificate_fingerprint = info.get("fingerprint_sha256")
            wizard.certificate_expired = info.get("expired", False)

    def _check_manager(self):
        self.env["hy.report.signer"]._check_may_manage()

    def action_upload(self):
        """Upload or Replace: the dialog was saved first, which stored the certificate."""
        self._check_manager()
        self.ensure_one()
        if not self.uploaded:
            raise UserError(
                self.env._(
                    "Choose the certificate file (.p12 or .pfx) and type its passphrase first."
                )
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "Published reports will be signed with the certificate of %(name)s.",
                    name=self.certificate_common_name,
                ),
                "type": "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_remove(self):
        self._check_manager()
        self.ensure_one()
        self.env["hy.report.signer"]._remove_certificate()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "The signing certificate is removed: report PDFs cannot be signed until a "
                    "new certificate is uploaded."
                ),
                "type": "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
