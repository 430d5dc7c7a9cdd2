"""The Office's signing certificate, and the PAdES signature of published report PDFs.

The PKCS#12 file an Office manager uploads is opened with the passphrase they give, checked,
then written again, encrypted with a random passphrase, to a file outside the database:
``<hy_signing_dir>/<database>/office.p12`` (directory 0700, file 0600; the server option
hy_signing_dir defaults to <data_dir>/hy_signing). The random passphrase is a system
parameter, which only administrators read. A dump of the database
holds no key, and the file alone opens with nothing: signing needs both.

Trust roots are never looked up on the system (pyHanko would ask oscrypto, which cannot load
OpenSSL 3): a reader checks the signature against the certificate the public page shows.
"""

import hashlib
import io
import logging
import os
import secrets
from datetime import datetime, timedelta, timezone

from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields as sign_fields
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config, format_date

_logger = logging.getLogger(__name__)

PASSPHRASE_PARAM = "hy_task_reports.signing_key_passphrase"
KEY_FILE = "office.p12"
SIGNATURE_FIELD = "HyOfficeSignature"
# One upload or removal at a time per database: the file and the parameter change together.
LOCK_KEY = int.from_bytes(hashlib.sha256(b"hy_report_signer").digest()[:4], "big") >> 1


def self_signed_certificate(common_name, not_before, not_after, key=None):
    """(key, certificate): a throw-away self-signed RSA 2048 signing certificate of the
    province's People's Committee, for the demo and the tests; never for real reports."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Hưng Yên"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "UBND tỉnh Hưng Yên"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        # As a signing certificate of a Vietnamese CA: signature and non-repudiation.
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate


class HyReportSigner(models.AbstractModel):
    _name = "hy.report.signer"
    _description = "Report Signing Certificate"

    # ------------------------------------------------------------------ storage

    @api.model
    def _key_path(self):
        """<hy_signing_dir>/<database>/office.p12: the option hy_signing_dir of the server's
        configuration (e.g. a mounted secrets volume), by default <data_dir>/hy_signing."""
        base = config.get("hy_signing_dir") or os.path.join(config["data_dir"], "hy_signing")
        return os.path.join(base, self.env.cr.dbname, KEY_FILE)

    @api.model
    def _check_may_manage(self):
        if not (self.env.su or self.env.user.has_group("hy_task_tracking.group_office_manager")):
            raise AccessError(
                self.env._("Only the Office managers can change the signing certificate.")
            )

    @api.model
    def _load(self):
        """(private key, certificate, other certificates) of the stored file, or None when no
        certificate is configured (no parameter, or no file on this server)."""
        # The key file's passphrase, readable by administrators only: used here, never shown.
        params = self.env["ir.config_parameter"].sudo()  # sudo: read for any signer, see above
        passphrase = params.get_param(PASSPHRASE_PARAM)
        path = self._key_path()
        if not passphrase or not os.path.exists(path):
            return None
        with open(path, "rb") as key_file:
            data = key_file.read()
        try:
            return pkcs12.load_key_and_certificates(data, passphrase.encode())
        except ValueError:
            _logger.error("The signing key file %s does not open with its passphrase", path)
            return None

    @api.model
    def _open_pkcs12(self, data, passphrase):
        """The key and certificates of an uploaded PKCS#12 file, checked; a UserError saying
        what is wrong otherwise."""
        try:
            asn1_pkcs12.Pfx.load(data, strict=True)["auth_safe"]["content"].native  # noqa: B018
        except (ValueError, TypeError, KeyError, OverflowError):
            raise UserError(
                self.env._(
                    "This file is not a certificate file (PKCS#12, .p12 or .pfx). Export the "
                    "certificate with its private key from the signing software or the token's "
                    "tool, as a .p12 or .pfx file."
                )
            ) from None
        try:
            key, certificate, others = pkcs12.load_key_and_certificates(
                data, passphrase.encode() if passphrase else None
            )
        except ValueError:
            raise UserError(
                self.env._(
                    "The passphrase does not open this certificate file. Type the passphrase "
                    "that was set when the file was exported."
                )
            ) from None
        if key is None:
            # A certificate without its key comes out among the "other" certificates.
            holder = certificate or (others[0] if others else None)
            raise UserError(
                self.env._(
                    "This file holds the certificate of %(name)s but not its private key: a "
                    "signature needs both. Export the certificate with its private key.",
                    name=self._common_name(holder.subject),
                )
                if holder
                else self.env._("This file holds no certificate.")
            )
        if certificate is None:
            raise UserError(self.env._("This file holds no certificate."))
        public = serialization.PublicFormat.SubjectPublicKeyInfo
        if key.public_key().public_bytes(
            serialization.Encoding.DER, public
        ) != certificate.public_key().public_bytes(serialization.Encoding.DER, public):
            raise UserError(
                self.env._("The private key in this file does not belong to its certificate.")
            )
        self._check_dates(certificate)
        return key, certificate, others

    @api.model
    def _store_certificate(self, data, passphrase):
        """Store the PKCS#12 file ``data`` (bytes), opened with ``passphrase``."""
        self._check_may_manage()
        key, certificate, others = self._open_pkcs12(data, passphrase)
        return self._store_key_and_certificate(key, certificate, others)

    @api.model
    def _store_key_and_certificate(self, key, certificate, others=()):
        self._check_may_manage()
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        passphrase = secrets.token_urlsafe(32)
        # The passphrase is random (256 bits): stretching it would add nothing, so the default
        # PBKDF2 rounds suffice; AES-256 and SHA-256 rather than the legacy PKCS#12 ciphers.
        encryption = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
            .hmac_hash(hashes.SHA256())
            .build(passphrase.encode())
        )
        data = pkcs12.serialize_key_and_certificates(
            b"office", key, certificate, list(others or ()) or None, encryption
        )
        self._replace_key_file(data)
        params = self.env["ir.config_parameter"].sudo()  # sudo: managers (checked) aren't admins
        params.set_param(PASSPHRASE_PARAM, passphrase)
        _logger.info(
            "Signing certificate of %s stored by user %s",
            self._common_name(certificate.subject),
            self.env.uid,
        )

    @api.model
    def _remove_certificate(self):
        self._check_may_manage()
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        self._replace_key_file(None)
        params = self.env["ir.config_parameter"].sudo()  # sudo: managers (checked) aren't admins
        params.set_param(PASSPHRASE_PARAM, False)  # False deletes the parameter
        _logger.info("Signing certificate removed by user %s", self.env.uid)

    @api.model
    def _replace_key_file(self, data):
        """Write ``data`` as the key file (None: delete it). The file is not transactional:
        if the transaction rolls back, the previous file is put back, so that the file
        and the passphrase in the database always belong together."""
        path = self._key_path()
        previous = None
        if os.path.exists(path):
            with open(path, "rb") as key_file:
                previous = key_file.read()
        self._write_file(path, data)
        self.env.cr.postrollback.add(lambda: self._write_file(path, previous))

    @staticmethod
    def _write_file(path, data):
        if data is None:
            if os.path.exists(path):
                os.remove(path)
            return
        directory = os.path.dirname(path)
        for folder in (os.path.dirname(directory), directory):
            os.makedirs(folder, mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)
        temporary = f"{path}.{secrets.token_hex(8)}.tmp"
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(handle, "wb") as key_file:
                key_file.write(data)
                key_file.flush()
                os.fsync(key_file.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise

    # ------------------------------------------------------------------ certificate

    @staticmethod
    def _name_part(name, oid):
        values = name.get_attributes_for_oid(oid)
        return values[0].value if values else ""

    @classmethod
    def _common_name(cls, name):
        return cls._name_part(name, NameOID.COMMON_NAME) or name.rfc4514_string()

    @api.model
    def _check_dates(self, certificate, now=None):
        now = now or datetime.now(timezone.utc)
        name = self._common_name(certificate.subject)
        if certificate.not_valid_after_utc < now:
            raise UserError(
                self.env._(
                    "The certificate of %(name)s expired on %(date)s. Upload a valid "
                    "certificate: the signature of a report must be checkable.",
                    name=name,
                    date=format_date(self.env, certificate.not_valid_after_utc.date()),
                )
            )
        if certificate.not_valid_before_utc > now:
            raise UserError(
                self.env._(
                    "The certificate of %(name)s is valid only from %(date)s.",
                    name=name,
                    date=format_date(self.env, certificate.not_valid_before_utc.date()),
                )
            )

    @api.model
    def _signing_certificate_info(self):
        """What the settings screen and the public page show of the certificate in use, or
        False when none is configured. Dates are naive UTC, as Odoo's Datetime fields."""
        loaded = self._load()
        if not loaded:
            return False
        certificate = loaded[1]
        fingerprint = certificate.fingerprint(hashes.SHA256()).hex().upper()
        valid_to = certificate.not_valid_after_utc
        return {
            "common_name": self._common_name(certificate.subject),
            "organization": self._name_part(certificate.subject, NameOID.ORGANIZATION_NAME),
            "issuer_common_name": self._common_name(certificate.issuer),
            "valid_from": certificate.not_valid_before_utc.replace(tzinfo=None),
            "valid_to": valid_to.replace(tzinfo=None),
            "fingerprint_sha256": ":".join(
                fingerprint[i : i + 2] for i in range(0, len(fingerprint), 2)
            ),
            "expired": valid_to < datetime.now(timezone.utc),
        }

    # ------------------------------------------------------------------ signing

    @api.model
    def _sign_pdf(self, pdf_bytes, reason=None, location="Hưng Yên"):
        """``pdf_bytes`` with a PAdES baseline signature of the Office's certificate, added as
        an incremental update (the original bytes are kept as they are, an invisible signature
        field is added): (signed PDF bytes, the signer's common name)."""
        loaded = self._load()
        if not loaded:
            raise UserError(
                self.env._(
                    "No signing certificate is configured: an Office manager uploads it under "
                    "Task Tracking > Configuration > Signing Certificate."
                )
            )
        key, certificate, others = loaded
        self._check_dates(certificate)
        der = serialization.Encoding.DER
        signer = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(certificate.public_bytes(der)),
            signing_key=asn1_keys.PrivateKeyInfo.load(
                key.private_bytes(
                    der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            ),
            cert_registry=SimpleCertificateStore.from_certs(
                [asn1_x509.Certificate.load(other.public_bytes(der)) for other in others]
            ),
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        # A file signed already (by the Office or anyone) keeps its signatures: a new field.
        taken = {name for name, *_rest in sign_fields.enumerate_sig_fields(writer)}
        field_name = next(
            name
            for name in (SIGNATURE_FIELD, *(f"{SIGNATURE_FIELD}{n}" for n in range(2, 1000)))
            if name not in taken
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            subfilter=sign_fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=location,
        )
        signed = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer)
        return signed.getvalue(), self._common_name(certificate.subject)

    # ------------------------------------------------------------------ demo

    @api.model
    def _demo_install_certificate(self):
        """A throw-away self-signed certificate, made at demo install time (never in the
        repository), so that the demo signs its published reports."""
        if self._load():
            return
        # From 2020: the demo's reports and the tests sign at frozen dates in the past.
        key, certificate = self_signed_certificate(
            "Văn phòng UBND tỉnh Hưng Yên (demo)",
            datetime(2020, 1, 1, tzinfo=timezone.utc),
            datetime.now(timezone.utc) + timedelta(days=3650),
        )
        self._store_key_and_certificate(key, certificate)

    @api.model
    def _certificate_pem(self):
        """The certificate in use, PEM (public): what a reader imports to check a signature."""
        loaded = self._load()
        if not loaded:
            return False
        return loaded[1].public_bytes(serialization.Encoding.PEM).decode()
