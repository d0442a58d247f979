"""Agreement content is encrypted at rest: drafts, revisions and signed versions hold a token,
the hash stays over the plaintext, and key rotation re-encrypts signed versions through the
triggers that keep them final."""

from io import StringIO

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from mentorpact.agreements import content as agreement_content
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
