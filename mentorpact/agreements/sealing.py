"""Sealing signed agreement PDFs with this installation's own key, and verifying them.

The seal is a PAdES signature (pyHanko) by a self-signed certificate that is its own trust
root: it proves a PDF came from this installation and has not changed since, not who the
installation is. The key and certificate come from AGREEMENT_SIGNING_KEY and
AGREEMENT_SIGNING_CERT (PEM files, made by `manage.py create_sealing_key`), which production
(DEBUG off) must set: check agreements.E001 refuses to run without them, since every machine
would otherwise seal with a key of its own. With DEBUG on they may be left unset and are
created on first use under MEDIA_ROOT/sealing/ (without that key, older PDFs no longer verify
here).

The agreement's identity (partnership code, agreement id, version, content hash) is written
into the signature's Reason, inside what the signature covers, so verifying a PDF also says
which agreement it is.
"""

import asyncio
import datetime
import functools
import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from asn1crypto import cms
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

SEAL_FIELD = "MentorpactSeal"
REASON_PREFIX = "Mentorpact agreement"
_REASON_RE = re.compile(
    r"partnership=(?P<partnership>[0-9a-f-]{36}); agreement=(?P<agreement>[0-9a-f-]{36}); "
    r"version=(?P<version>\d+); content-sha256=(?P<content_sha256>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class Identity:
    partnership: str
    agreement: str
    version: int
    content_sha256: str

    def as_reason(self) -> str:
        return (
            f"{REASON_PREFIX}: partnership={self.partnership}; agreement={self.agreement}; "
            f"version={self.version}; content-sha256={self.content_sha256}"
        )

    @classmethod
    def from_reason(cls, reason: str | None) -> "Identity | None":
        match = _REASON_RE.search(reason or "")
        if not match:
            return None
        return cls(
            partnership=match["partnership"],
            agreement=match["agreement"],
            version=int(match["version"]),
            content_sha256=match["content_sha256"],
        )


# --- The installation's key and certificate ------------------------------------------------


def credential_paths() -> tuple[Path, Path, bool]:
    """(key, certificate, supplied): from the environment, or the files made on first use."""
    key, cert = settings.AGREEMENT_SIGNING_KEY, settings.AGREEMENT_SIGNING_CERT
    if bool(key) != bool(cert):
        raise ImproperlyConfigured(
            "Set both AGREEMENT_SIGNING_KEY and AGREEMENT_SIGNING_CERT, or neither (a key and "
            "certificate are then created under MEDIA_ROOT/sealing/)."
        )
    if key:
        return Path(key), Path(cert), True
    if not settings.SEALING_KEY_ON_FIRST_USE:
        # Each machine would seal with a key of its own, and PDFs sealed on one would not
        # verify on another (check agreements.E001 says so before the first request).
        raise ImproperlyConfigured(UNCONFIGURED)
    folder = Path(settings.MEDIA_ROOT) / "sealing"
    return folder / "installation-key.pem", folder / "installation-cert.pem", False


UNCONFIGURED = (
    "AGREEMENT_SIGNING_KEY and AGREEMENT_SIGNING_CERT must be set when DEBUG is off: a key "
    "created on first use would be one machine's own."
)


def create_credentials(key_path: Path, cert_path: Path) -> bool:
    """Create a key and self-signed certificate at these paths (`manage.py create_sealing_key`,
    and on first use with DEBUG on); False when a key is there already (nothing written)."""
    if key_path.exists():
        return False
    _write_new_credentials(key_path, cert_path)
    return True


def _write_new_credentials(key_path: Path, cert_path: Path) -> None:
    """Create a key and self-signed certificate. Two processes may race here: each writes to a
    temporary file and links it into place only if no file is there yet (os.link fails on an
    existing name), and the certificate is written only by whoever placed the key."""
    key_path.parent.mkdir(parents=True, exist_ok=True)
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    host = settings.SITE_ROOT.split("://", 1)[-1].split("/", 1)[0] or "localhost"
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.SITE_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{settings.SITE_NAME} seal ({host})"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365 * 30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(private_key.public_key()), critical=False
        )
        .sign(private_key, hashes.SHA256())
    )
    key_pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    if not _place(key_path, key_pem, mode=0o600):
        return  # another process created the key; it writes the certificate too
    _place(cert_path, certificate.public_bytes(serialization.Encoding.PEM), mode=0o644)


def _place(path: Path, data: bytes, *, mode: int) -> bool:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")
    try:
        os.fchmod(fd, mode)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


def _wait_for(path: Path) -> None:
    """The certificate follows the key within milliseconds; wait a little for a racing writer."""
    for _ in range(100):
        if path.exists():
            return
        time.sleep(0.05)
    raise ImproperlyConfigured(f"The sealing certificate {path} is missing.")


def load_credentials() -> tuple[Path, Path]:
    key_path, cert_path, supplied = credential_paths()
    if not key_path.exists():
        if supplied:
            raise ImproperlyConfigured(f"AGREEMENT_SIGNING_KEY names a missing file: {key_path}")
        _write_new_credentials(key_path, cert_path)
    _wait_for(cert_path)
    return key_path, cert_path


def installation_certificate() -> asn1_x509.Certificate:
    _key, cert_path = load_credentials()
    return _load_certificate(cert_path.read_bytes())


def _load_certificate(data: bytes) -> asn1_x509.Certificate:
    loaded = x509.load_pem_x509_certificate(data)
    return asn1_x509.Certificate.load(loaded.public_bytes(serialization.Encoding.DER))


def certificate_fingerprint(certificate: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


# --- Sealing --------------------------------------------------------------------------------


class _Signer(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses its key again for every signature (a 3072-bit RSA key's
    checks take most of a seal's time): this one signs with the key parsed once, and says how
    many bytes the signature takes, so pyHanko need not sign a dry run to find out."""

    def __init__(self, *, private_key, certificate: asn1_x509.Certificate, **kwargs) -> None:
        super().__init__(signing_cert=certificate, **kwargs)
        self._private_key = private_key
        # Room for the CMS: the one certificate, the signature (at most twice the key's size,
        # for any kind of key) and the signed attributes, with a margin of 4 KiB; pyHanko
        # wants an even number.
        key_bits = getattr(private_key, "key_size", 4096)  # Ed25519 keys have none
        needed = len(certificate.dump()) + 2 * key_bits // 8 + 4096
        self.bytes_reserved = -(-needed // 512) * 512

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(
            self._private_key, rsa.RSAPrivateKey
        ):
            return self._private_key.sign(
                data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )
        return super().sign_raw(data, digest_algorithm)  # a key of another kind, supplied


def _signer(key_path: Path, cert_path: Path) -> _Signer:
    """The installation's signer, loaded once per process and again only when a file changes
    (a replaced key, say)."""
    return _loaded_signer(
        key_path, key_path.stat().st_mtime_ns, cert_path, cert_path.stat().st_mtime_ns
    )


@functools.lru_cache(maxsize=4)
def _loaded_signer(key_path: Path, _key_mtime: int, cert_path: Path, _cert_mtime: int) -> _Signer:
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    certificate = _load_certificate(cert_path.read_bytes())
    return _Signer(
        private_key=key,
        certificate=certificate,
        signing_key=key_info,
        # The signing certificate is embedded once, as the only certificate: a second copy
        # would be bytes nobody checks.
        cert_registry=SimpleCertificateStore(),
        embed_roots=False,
    )


def seal_pdf(pdf: bytes, identity: Identity) -> bytes:
    """Return the PDF with a PAdES signature by the installation's key appended."""
    signer = _signer(*load_credentials())
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=identity.as_reason(),
        location=settings.SITE_ROOT,
        name=settings.SITE_NAME,
    )
    return _without_event_loop(_sign, writer, metadata, signer).getvalue()


def _sign(writer, metadata, signer: _Signer):
    return signers.sign_pdf(writer, metadata, signer=signer, bytes_reserved=signer.bytes_reserved)


# --- Verifying ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    intact: bool
    reason: str
    identity: Identity | None = None
    sealed_at: datetime.datetime | None = None


def _refuse(reason: str) -> Verification:
    return Verification(intact=False, reason=reason)


def _contents_are_canonical(embedded) -> bool:
    """The /Contents string is exactly the DER of the CMS followed by zero padding, with one
    certificate. pyHanko parses leniently; a byte changed in the padding or in an unsigned part
    of the container would otherwise go unnoticed (the database check in selectors catches any
    changed byte for PDFs it knows, this catches most without it)."""
    raw = bytes(embedded.pkcs7_content)
    try:
        canonical = cms.ContentInfo.load(raw, strict=False).dump(force=True)
    except (ValueError, TypeError):
        return False
    padding = raw[len(canonical) :]
    signed_data = embedded.signed_data
    single_digest = [a["algorithm"].native for a in signed_data["digest_algorithms"]] == [
        embedded.signer_info["digest_algorithm"]["algorithm"].native
    ]
    return (
        raw.startswith(canonical)
        and padding == bytes(len(padding))
        and len(signed_data["certificates"]) == 1
        and single_digest
    )


def _without_event_loop(function, *args):
    """pyHanko's signing and validation run their own event loop (asyncio.run), which fails
    in a thread that already runs one (an async caller; Playwright's sync API in the browser
    tests): there, run them in a thread of their own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs a traceback when a check fails; here that is an answer, not a crash."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def verify_pdf(data: bytes) -> Verification:
    with _quiet_pyhanko():
        return _verify(data)


def _verify(data: bytes) -> Verification:
    """Is this an untouched PDF sealed by this installation? Never raises for bad input."""
    if not data.startswith(b"%PDF-"):
        return _refuse("This is not a PDF file.")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # any damage pyHanko cannot parse: a broken or altered file
        return _refuse("The PDF cannot be read: it is damaged or was altered.")
    if not signatures:
        return _refuse(
            "The PDF has no seal: it is a draft or a copy, not a signed agreement sealed by "
            "this installation."
        )
    if len(signatures) != 1:
        return _refuse("The PDF carries more than one signature: it was changed after sealing.")
    embedded = signatures[0]
    try:
        ours = installation_certificate()
        signer_cert = embedded.signer_cert
        if certificate_fingerprint(signer_cert) != certificate_fingerprint(ours):
            subject = signer_cert.subject.human_friendly
            return _refuse(
                f"The PDF was sealed by another key ({subject}), not by this installation."
            )
        context = ValidationContext(trust_roots=[ours], allow_fetching=False)
        status = _without_event_loop(validate_pdf_signature, embedded, context)
    except Exception:
        return _refuse("The seal cannot be checked: the PDF was altered or damaged.")
    if not _contents_are_canonical(embedded):
        return _refuse("The seal's signature container was altered.")
    if not status.intact:
        return _refuse("The PDF was modified after it was sealed: its content does not match.")
    if not status.valid or not status.trusted:
        return _refuse("The seal's signature is not valid.")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _refuse("Something was added to the PDF after it was sealed.")
    identity = Identity.from_reason(embedded.sig_object.get("/Reason"))
    if identity is None:
        return _refuse("The seal does not name a Mentorpact agreement.")
    return Verification(
        intact=True,
        reason="The PDF is intact and sealed by this installation.",
        identity=identity,
        sealed_at=embedded.self_reported_timestamp,
    )
