"""The Office's signing certificate: uploaded by a manager, kept outside the database, and the
PAdES signature of a PDF checked by pyHanko's own validator, as a reader's software would."""

import base64
import hashlib
import io
import os
import shutil
import stat
import tempfile
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from reportlab.pdfgen import canvas

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, freeze_time, tagged
from odoo.tools import config, mute_logger

from odoo.addons.hy_task_tracking.tests.common import JsonRpcMixin, TestHyCommon

from ..models.hy_report_signer import self_signed_certificate

SIGNER = "Văn phòng UBND tỉnh Hưng Yên (thử)"
PASSPHRASE = "Mật-khẩu đúng 2026"


def make_certificate(common_name=SIGNER, valid_from=None, days=365, key=None):
    """A throw-away self-signed RSA 2048 certificate and its key, made here, kept nowhere."""
    valid_from = valid_from or datetime.now(timezone.utc) - timedelta(days=1)
    return self_signed_certificate(
        common_name, valid_from, valid_from + timedelta(days=days), key=key
    )


def p12(key, certificate, passphrase=PASSPHRASE):
    encryption = serialization.BestAvailableEncryption(passphrase.encode())
    return pkcs12.serialize_key_and_certificates(b"office", key, certificate, None, encryption)


def small_pdf(text="Bao cao nam 2026: 42 nhiem vu hoan thanh"):
    """One page, uncompressed, so that a test can change a figure in the signed bytes."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=0)
    pdf.drawString(72, 770, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class SigningCase(TestHyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key, cls.certificate = make_certificate()
        cls.Wizard = cls.env["hy.report.signing.wizard"]
        cls.Signer = cls.env["hy.report.signer"]

    def setUp(self):
        super().setUp()
        # A data directory of the test's own: the demo's key file stays as it is, and a file
        # written by one test (files do not roll back with the test) is not seen by the next.
        key_dir = tempfile.mkdtemp(prefix="hy_signing_test_")
        self.addCleanup(shutil.rmtree, key_dir, ignore_errors=True)
        self.startPatcher(patch.dict(config.options, {"hy_signing_dir": key_dir}))

    def _upload(self, data, passphrase=PASSPHRASE, user=None):
        wizard = self.Wizard.with_user(user or self.manager).create(
            {
                "p12_file": base64.b64encode(data),
                "p12_filename": "van_phong.p12",
                "passphrase": passphrase,
            }
        )
        return wizard, wizard.action_upload()

    def _validate(self, pdf_bytes):
        trusted = asn1_x509.Certificate.load(
            self.certificate.public_bytes(serialization.Encoding.DER)
        )
        signatures = PdfFileReader(io.BytesIO(pdf_bytes)).embedded_signatures
        self.assertEqual(len(signatures), 1)
        # Trust roots given explicitly: nothing is looked up on the system.
        context = ValidationContext(trust_roots=[trusted])
        return validate_pdf_signature(signatures[0], context)


@tagged("post_install", "-at_install")
class TestReportSigning(SigningCase):
    def test_signed_pdf_is_valid_and_a_changed_figure_breaks_it(self):
        wizard, action = self._upload(p12(self.key, self.certificate))
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn(SIGNER, action["params"]["message"])
        # The dialog shows the certificate now in use, and not the file or passphrase.
        fingerprint = self.certificate.fingerprint(hashes.SHA256()).hex().upper()
        self.assertTrue(wizard.has_certificate)
        self.assertEqual(wizard.certificate_common_name, SIGNER)
        self.assertEqual(wizard.certificate_organization, "UBND tỉnh Hưng Yên")
        self.assertEqual(wizard.certificate_issuer, SIGNER)
        self.assertEqual(wizard.certificate_fingerprint.replace(":", ""), fingerprint)
        self.assertFalse(wizard.p12_file)
        self.assertFalse(wizard.passphrase)

        original = small_pdf()
        signed, signer_name = self.Signer._sign_pdf(original, reason="Báo cáo đã phê duyệt")
        self.assertEqual(signer_name, SIGNER)
        # An incremental update: the approved bytes are kept as they were.
        self.assertTrue(signed.startswith(original))
        status = self._validate(signed)
        self.assertTrue(status.intact)
        self.assertTrue(status.valid)
        self.assertTrue(status.trusted)
        self.assertTrue(status.bottom_line)
        self.assertEqual(status.coverage, SignatureCoverageLevel.ENTIRE_FILE)
        self.assertEqual(status.signing_cert.subject.native["common_name"], SIGNER)
        self.assertEqual(status.md_algorithm, "sha256")

        tampered = signed.replace(b"42 nhiem vu", b"43 nhiem vu")
        self.assertNotEqual(tampered, signed)
        status = self._validate(tampered)
        self.assertFalse(status.intact)
        self.assertFalse(status.bottom_line)

    def test_key_is_kept_outside_the_database(self):
        uploaded = p12(self.key, self.certificate)
        self._upload(uploaded)
        path = self.Signer._key_path()
        self.assertEqual(
            path, os.path.join(config["hy_signing_dir"], self.env.cr.dbname, "office.p12")
        )
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        with open(path, "rb") as key_file:
            stored = key_file.read()
        # Encrypted again: the manager's passphrase does not open the stored file.
        with self.assertRaises(ValueError):
            pkcs12.load_key_and_certificates(stored, PASSPHRASE.encode())

        # Nothing of the key in the database: no attachment, no parameter, no wizard column.
        key_der = self.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        secrets = [base64.b64encode(key_der).decode(), key_der.hex(), PASSPHRASE]
        secrets += [base64.b64encode(data).decode() for data in (uploaded, stored)]
        checksums = [hashlib.sha1(data).hexdigest() for data in (uploaded, stored)]
        Attachment = self.env["ir.attachment"]
        self.assertFalse(Attachment.search([("checksum", "in", checksums)]))
        self.assertFalse(Attachment.search([("res_model", "=", "hy.report.signing.wizard")]))
        self.env.flush_all()
        self.env.cr.execute("SELECT key, value FROM ir_config_parameter")
        for key, value in self.env.cr.fetchall():
            for secret in secrets:
                self.assertNotIn(secret, value or "", key)
        self.env.cr.execute("SELECT * FROM hy_report_signing_wizard")
        columns = {column.name for column in self.env.cr.description}
        self.assertFalse(columns & {"p12_file", "passphrase"})

        # Removed: neither the file nor its passphrase is left, and nothing signs.
        wizard = self.Wizard.with_user(self.manager).create({})
        wizard.action_remove()
        self.assertFalse(os.path.exists(path))
        self.assertFalse(
            self.env["ir.config_parameter"].get_param("hy_task_reports.signing_key_passphrase")
        )
        self.assertFalse(self.Signer._signing_certificate_info())
        self.assertFalse(self.Wizard.with_user(self.manager).create({}).has_certificate)
        with self.assertRaisesRegex(UserError, "No signing certificate is configured"):
            self.Signer._sign_pdf(small_pdf())

    def test_wrong_uploads_are_refused_and_nothing_is_stored(self):
        path = self.Signer._key_path()
        expired = make_certificate(
            valid_from=datetime.now(timezone.utc) - timedelta(days=400), key=self.key
        )[1]
        cases = (
            (p12(self.key, self.certificate), "Sai mật khẩu", "passphrase does not open"),
            (small_pdf(), PASSPHRASE, "is not a certificate file"),
            (p12(None, self.certificate), PASSPHRASE, "not its private key"),
            (p12(self.key, expired), PASSPHRASE, "expired on"),
            (p12(self.key, None), PASSPHRASE, "holds no certificate"),
        )
        for data, passphrase, message in cases:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self._upload(data, passphrase)
            self.assertFalse(os.path.exists(path))
        # Nothing chosen: the Upload button says what to do.
        with self.assertRaisesRegex(UserError, "Choose the certificate file"):
            self.Wizard.with_user(self.manager).create({}).action_upload()

    def test_expired_certificate_does_not_sign(self):
        self._upload(p12(self.key, self.certificate))
        self.Signer._sign_pdf(small_pdf())
        with (
            freeze_time(datetime.now(timezone.utc) + timedelta(days=400)),
            self.assertRaisesRegex(UserError, "expired on"),
        ):
            self.Signer._sign_pdf(small_pdf())

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_only_office_managers_manage_the_certificate(self):
        data = p12(self.key, self.certificate)
        wizard, _action = self._upload(data)
        path = self.Signer._key_path()
        vals = {"p12_file": base64.b64encode(data), "passphrase": PASSPHRASE}
        users = (self.officer, self.officer_uncleared, self.leader, self.user_a, self.portal_a)
        for user in users:
            Wizard = self.Wizard.with_user(user)
            Signer = self.Signer.with_user(user)
            mine = wizard.with_user(user)
            calls = {
                "create": lambda W=Wizard: W.create(vals),
                "write": lambda w=mine: w.write(vals),
                "read": lambda w=mine: w.read(["certificate_fingerprint"]),
                "action_upload": lambda w=mine: w.action_upload(),
                "action_remove": lambda w=mine: w.action_remove(),
                "signer: store": lambda S=Signer: S._store_certificate(data, PASSPHRASE),
                "signer: remove": lambda S=Signer: S._remove_certificate(),
            }
            for name, call in calls.items():
                with self.subTest(user=user.login, call=name), self.assertRaises(AccessError):
                    call()
        self.assertTrue(os.path.exists(path))
        self.assertEqual(self.Signer._signing_certificate_info()["common_name"], SIGNER)


@tagged("post_install", "-at_install")
class TestReportSigningRpc(JsonRpcMixin, HttpCase, SigningCase):
    """Through JSON-RPC, as any logged-in user may send it."""

    @mute_logger("odoo.http")
    def test_rpc_of_other_roles_is_refused(self):
        data = p12(self.key, self.certificate)
        wizard, _action = self._upload(data)
        vals = {"p12_file": base64.b64encode(data).decode(), "passphrase": PASSPHRASE}
        for user in (self.officer, self.user_a, self.portal_a):
            self._login(user)
            with self.subTest(user=user.login):
                model = "hy.report.signing.wizard"
                self.assertRefused(self._call(model, "create", vals))
                self.assertRefused(self._call(model, "action_remove", [wizard.id]))
                self.assertRefused(self._call(model, "action_upload", [wizard.id]))
                # The signer's methods are private: not callable remotely at all.
                pdf = base64.b64encode(small_pdf()).decode()
                self.assertRefused(self._call("hy.report.signer", "_sign_pdf", pdf))
                self.assertRefused(self._call("hy.report.signer", "_remove_certificate"))
        self.assertTrue(os.path.exists(self.Signer._key_path()))
