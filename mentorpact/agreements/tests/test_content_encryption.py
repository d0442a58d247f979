"""Agreement content is encrypted at rest: drafts, revisions and signed versions hold a token,
the hash stays over the plaintext, and key rotation re-encrypts signed versions through the
triggers that keep them final."""

import hashlib
from io import StringIO

from cryptography.fernet import Fernet
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from mentorpact.agreements import content as agreement_content
from mentorpact.agreements import selectors, services
from mentorpact.agreements.models import AgreementRevision, AgreementVersion
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.lib import crypto

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def stored(table: str) -> list[str]:
    """Every row's content column as stored, read with SQL (no model, no decryption)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT content_token FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


class ContentEncryptionTest(AgreementTestCase):
    def test_drafts_revisions_and_signed_versions_hold_tokens_never_the_words(self):
        self.save(self.theo, {"frequency": "Every blue moon at Quokka Cafe"})
        self.sign_by_both()

        tokens = stored("agreements_agreementversion") + stored("agreements_agreementrevision")

        self.assertTrue(tokens)
        self.assertFalse([t for t in tokens if "Quokka" in t or "frequency" in t])
        self.assertTrue(all(t.startswith("gAAAAA") for t in tokens if t))

    def test_the_hash_is_over_the_plaintext_so_verification_is_unchanged(self):
        version = self.sign_by_both()
        version = AgreementVersion.objects.get(pk=version.pk)
        template = agreement_content.template_of(version.template_version)

        self.assertEqual(
            agreement_content.content_sha256(template, version.content), version.content_sha256
        )


class RotationOfSignedContentTest(AgreementTestCase):
    def setUp(self):
        with override_settings(NOTES_ENCRYPTION_KEYS=[OLD]):
            super().setUp()
            self.version = self.sign_by_both()
            self.before = AgreementVersion.objects.get(pk=self.version.pk).content

    @override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD])
    def test_rotation_reencrypts_a_signed_version_and_its_revisions_without_changing_them(self):
        call_command("rotate_notes_key", stdout=StringIO())

        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW]):  # the old key can now go
            version = AgreementVersion.objects.get(pk=self.version.pk)
            self.assertEqual(version.status, "in_effect")
            self.assertEqual(version.content, self.before)
            self.assertIsNotNone(version.key_rotated_at)
            template = agreement_content.template_of(version.template_version)
            self.assertEqual(
                agreement_content.content_sha256(template, version.content),
                version.content_sha256,
            )
            revisions = AgreementRevision.objects.filter(version=version)
            self.assertTrue(all(crypto.uses_current_key(r.content_token) for r in revisions))
            self.assertEqual(revisions.order_by("-revision")[0].content, self.before)


class SealedPdfAtRestTest(AgreementTestCase):
    """A sealed PDF is stored encrypted; what people download is the plain PDF its SHA-256
    names, and key rotation re-encrypts the file without changing a byte of it."""

    def setUp(self):
        with override_settings(NOTES_ENCRYPTION_KEYS=[OLD]):
            super().setUp()
            self.save(self.theo, {"frequency": "Every blue moon at Quokka Cafe"})
            version = self.sign_by_both()
            self.pdf = services.seal_signed_version(version=version)
            self.version = AgreementVersion.objects.get(pk=version.pk)

    def raw(self) -> bytes:
        with default_storage.open(self.version.sealed_pdf.name, "rb") as stored:
            return stored.read()

    def test_the_stored_file_is_a_token_and_the_download_is_the_recorded_pdf(self):
        self.assertTrue(self.raw().startswith(b"gAAAAA"))
        self.assertTrue(self.pdf.startswith(b"%PDF"))
        self.assertEqual(hashlib.sha256(self.pdf).hexdigest(), self.version.sealed_pdf_sha256)
        with override_settings(NOTES_ENCRYPTION_KEYS=[OLD]):
            self.assertEqual(services.version_pdf(version=self.version), self.pdf)

    @override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD])
    def test_rotation_reencrypts_the_sealed_pdf_in_place(self):
        out = StringIO()
        call_command("rotate_notes_key", stdout=out)

        self.assertIn("Re-encrypted 1 of 1 stored file(s).", out.getvalue())
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW]):  # the old key can now go
            self.assertTrue(crypto.uses_current_key(self.raw().decode()))
            self.assertEqual(services.version_pdf(version=self.version), self.pdf)
            self.assertEqual(selectors.signed_record_problems().problems, [])
