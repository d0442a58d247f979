import datetime
import stat
import tempfile
from pathlib import Path
from unittest import mock

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from mentorpact.agreements import pdf, sealing, services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.audit.models import Event


def flip_byte(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


class SealAndVerifyTestCase(AgreementTestCase):
    def setUp(self):
        super().setUp()
        self.version = self.sign_by_both()
        self.sealed = services.seal_signed_version(version=self.version)

    def test_a_sealed_pdf_verifies_with_its_identity(self):
        result = sealing.verify_pdf(self.sealed)
        self.assertTrue(result.intact, result.reason)
        self.assertEqual(result.identity.partnership, str(self.partnership.public_id))
        self.assertEqual(result.identity.agreement, str(self.agreement.public_id))
        self.assertEqual(result.identity.version, self.version.number)
        self.assertEqual(result.identity.content_sha256, self.version.content_sha256)
        self.assertIsNotNone(result.sealed_at)

    def test_one_byte_changed_anywhere_is_caught(self):
        for position in (len(self.sealed) // 5, len(self.sealed) // 2, len(self.sealed) - 50):
            result = sealing.verify_pdf(flip_byte(self.sealed, position))
            self.assertFalse(result.intact, f"byte {position} changed but still intact")

    def test_a_change_inside_the_signature_is_caught(self):
        contents = self.sealed.index(b"/Contents <") + len(b"/Contents <") + 200
        result = sealing.verify_pdf(flip_byte(self.sealed, contents))
        self.assertFalse(result.intact)

    def test_a_change_in_the_signatures_padding_is_caught(self):
        end = self.sealed.index(b">", self.sealed.index(b"/Contents <"))
        result = sealing.verify_pdf(flip_byte(self.sealed, end - 10))  # a padding zero
        self.assertFalse(result.intact)

    def test_bytes_appended_after_sealing_are_caught(self):
        result = sealing.verify_pdf(self.sealed + b"\n% appended\n")
        self.assertFalse(result.intact)
        self.assertIn("added", result.reason)

    def test_a_truncated_pdf_is_refused(self):
        self.assertFalse(sealing.verify_pdf(self.sealed[: len(self.sealed) // 2]).intact)

    def test_an_unsigned_pdf_is_refused(self):
        result = sealing.verify_pdf(pdf.render_pdf(self.version))
        self.assertFalse(result.intact)
        self.assertIn("no seal", result.reason)

    def test_something_that_is_not_a_pdf_is_refused(self):
        result = sealing.verify_pdf(b"GIF89a not a pdf")
        self.assertFalse(result.intact)
        self.assertIn("not a PDF", result.reason)

    def test_a_pdf_sealed_by_another_key_is_refused(self):
        with tempfile.TemporaryDirectory() as elsewhere, override_settings(MEDIA_ROOT=elsewhere):
            foreign = sealing.seal_pdf(
                pdf.render_pdf(self.version), services.identity_of(self.version)
            )
            self.assertTrue(sealing.verify_pdf(foreign).intact)  # intact for its own installation
        result = sealing.verify_pdf(foreign)
        self.assertFalse(result.intact)
        self.assertIn("another key", result.reason)

    def test_the_key_is_parsed_once_per_process_and_each_seal_signs_once(self):
        sealing._loaded_signer.cache_clear()
        document, identity = pdf.render_pdf(self.version), services.identity_of(self.version)
        load = mock.patch.object(
            sealing.serialization,
            "load_pem_private_key",
            wraps=sealing.serialization.load_pem_private_key,
        )
        original = sealing._Signer.sign_raw
        sign = mock.patch.object(sealing._Signer, "sign_raw", autospec=True, side_effect=original)
        with load as loaded, sign as signed:
            first = sealing.seal_pdf(document, identity)
            second = sealing.seal_pdf(document, identity)
        self.assertEqual(loaded.call_count, 1)
        self.assertEqual(signed.call_count, 2)  # no dry run to measure the signature
        self.assertTrue(sealing.verify_pdf(first).intact)
        self.assertTrue(sealing.verify_pdf(second).intact)

    def test_a_replaced_key_seals_the_next_pdf(self):
        document, identity = pdf.render_pdf(self.version), services.identity_of(self.version)
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            key, cert = sealing.load_credentials()
            before = sealing.seal_pdf(document, identity)
            key.unlink()
            cert.unlink()
            sealing.create_credentials(key, cert)
            after = sealing.seal_pdf(document, identity)
            self.assertTrue(sealing.verify_pdf(after).intact)
            self.assertIn("another key", sealing.verify_pdf(before).reason)

    def test_a_supplied_elliptic_curve_key_seals_too(self):
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Operator's EC seal")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, hashes.SHA256())
        )
        with tempfile.TemporaryDirectory() as folder:
            key_path, cert_path = Path(folder, "key.pem"), Path(folder, "cert.pem")
            key_path.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
            with override_settings(
                AGREEMENT_SIGNING_KEY=str(key_path), AGREEMENT_SIGNING_CERT=str(cert_path)
            ):
                sealed = sealing.seal_pdf(
                    pdf.render_pdf(self.version), services.identity_of(self.version)
                )
                result = sealing.verify_pdf(sealed)
        self.assertTrue(result.intact, result.reason)

    def test_the_sealed_pdf_is_stored_once_and_reused(self):
        again = services.seal_signed_version(
            version=AgreementVersion.objects.get(pk=self.version.pk)
        )
        self.assertEqual(again, self.sealed)
        self.assertEqual(Event.objects.filter(action="agreement.pdf_sealed").count(), 1)
        self.version.refresh_from_db()
        self.assertTrue(self.version.sealed_pdf.name.endswith(".pdf"))
        self.assertEqual(len(self.version.sealed_pdf_sha256), 64)

    def test_a_damaged_stored_pdf_is_not_handed_out(self):
        self.version.refresh_from_db()
        Path(self.version.sealed_pdf.path).write_bytes(flip_byte(self.sealed, 1000))
        with self.assertRaisesMessage(services.AgreementError, "damaged"):
            services.seal_signed_version(version=self.version)

    def test_a_draft_has_no_sealed_pdf(self):
        amendment = services.propose_amendment(agreement=self.agreement, user=self.theo)
        with self.assertRaises(services.AgreementError):
            services.seal_signed_version(version=amendment)


class CredentialsTestCase(SimpleTestCase):
    def test_a_key_and_certificate_are_created_on_first_use(self):
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(
                MEDIA_ROOT=media, AGREEMENT_SIGNING_KEY="", AGREEMENT_SIGNING_CERT=""
            ),
        ):
            key, cert = sealing.load_credentials()
            self.assertEqual(key, Path(media) / "sealing" / "installation-key.pem")
            self.assertEqual(stat.S_IMODE(key.stat().st_mode), 0o600)
            first = sealing.installation_certificate()
            self.assertEqual(sealing.installation_certificate().dump(), first.dump())
            self.assertIn("Mentorpact seal", first.subject.human_friendly)

    def test_a_key_and_certificate_can_be_supplied(self):
        with tempfile.TemporaryDirectory() as made, tempfile.TemporaryDirectory() as media:
            with override_settings(MEDIA_ROOT=made, AGREEMENT_SIGNING_KEY=""):
                key, cert = sealing.load_credentials()
            with override_settings(
                MEDIA_ROOT=media, AGREEMENT_SIGNING_KEY=str(key), AGREEMENT_SIGNING_CERT=str(cert)
            ):
                self.assertEqual(sealing.load_credentials(), (key, cert))
                self.assertFalse((Path(media) / "sealing").exists())

    def test_a_missing_supplied_key_is_a_configuration_error(self):
        with (
            override_settings(
                AGREEMENT_SIGNING_KEY="/nonexistent/key.pem", AGREEMENT_SIGNING_CERT="/x.pem"
            ),
            self.assertRaisesMessage(ImproperlyConfigured, "missing file"),
        ):
            sealing.load_credentials()

    def test_one_without_the_other_is_a_configuration_error(self):
        with (
            override_settings(AGREEMENT_SIGNING_KEY="/k.pem", AGREEMENT_SIGNING_CERT=""),
            self.assertRaisesMessage(ImproperlyConfigured, "both"),
        ):
            sealing.load_credentials()
