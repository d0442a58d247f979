"""A version in effect never changes: the services refuse, and so does the database."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorpact.agreements import services
from mentorpact.agreements.models import (
    AgreementRevision,
    AgreementVersion,
    ESignConsent,
    Signature,
)
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.lib import crypto


class ImmutabilityTestCase(AgreementTestCase):
    def setUp(self):
        super().setUp()
        self.version = self.sign_by_both()

    def test_the_service_refuses_an_edit(self):
        with self.assertRaises(services.AgreementLocked):
            self.save(self.theo, {"frequency": "Never"}, based_on=self.version.revision)
        self.version.refresh_from_db()
        self.assertNotEqual(self.version.content["frequency"], "Never")

    def test_the_service_refuses_another_signature(self):
        with self.assertRaises(services.AgreementLocked):
            self.sign(self.theo, self.version)

    def test_the_database_refuses_a_content_change(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk).update(
                content_token=crypto.encrypt_json({"frequency": "x"})
            )
        self.version.refresh_from_db()
        self.assertEqual(self.version.content["frequency"], "Every two weeks")

    def test_the_database_lets_a_key_rotation_replace_the_token_with_its_stamp(self):
        token = crypto.rotate(self.version.content_token)
        rotated_at = timezone.now()

        AgreementVersion.objects.filter(pk=self.version.pk).update(
            content_token=token, key_rotated_at=rotated_at
        )

        self.version.refresh_from_db()
        self.assertEqual(self.version.content_token, token)
        self.assertEqual(self.version.content["frequency"], "Every two weeks")
        # A stamp that does not move forward is no rotation: refused.
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk).update(
                content_token=crypto.encrypt_json({"frequency": "x"}),
                key_rotated_at=rotated_at - timedelta(days=1),
            )

    def test_the_database_refuses_a_hash_change(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk).update(content_sha256="0" * 64)

    def test_the_database_refuses_turning_it_back_into_a_draft(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk).update(
                status="draft", effective_at=None
            )

    def test_the_database_refuses_changing_a_signature(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Signature.objects.filter(version=self.version).update(typed_name="Someone Else")

    def test_the_database_refuses_a_move_to_superseded_with_nothing_to_take_its_place(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk).update(
                status="superseded", superseded_at=self.version.effective_at
            )
        self.version.refresh_from_db()
        self.assertEqual(self.version.status, "in_effect")

    def test_a_signed_amendment_still_supersedes_it(self):
        services.propose_amendment(agreement=self.agreement, user=self.theo)
        amendment = self.save(self.mia, {"frequency": "Monthly"})
        self.sign(self.mia, amendment)
        self.sign(self.theo, AgreementVersion.objects.get(pk=amendment.pk))

        self.version.refresh_from_db()
        self.assertEqual(self.version.status, "superseded")
        self.assertIsNotNone(self.version.superseded_at)

    def test_the_database_allows_sealing_once(self):
        AgreementVersion.objects.filter(pk=self.version.pk).update(
            sealed_pdf="agreements/v1.pdf", sealed_pdf_sha256="a" * 64
        )
        self.version.refresh_from_db()
        self.assertEqual(self.version.sealed_pdf_sha256, "a" * 64)
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk).update(sealed_pdf_sha256="b" * 64)
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk).update(sealed_pdf="other.pdf")

    def test_the_database_allows_the_delivery_mark_both_ways(self):
        AgreementVersion.objects.filter(pk=self.version.pk).update(
            delivered_at=self.version.effective_at
        )
        AgreementVersion.objects.filter(pk=self.version.pk).update(delivered_at=None)
        self.version.refresh_from_db()
        self.assertIsNone(self.version.delivered_at)

    def test_the_database_refuses_every_other_column_of_a_signed_version(self):
        changes = {
            "is_amendment": True,
            "created_by": self.theo,
            "created_at": self.version.effective_at,
            "updated_at": self.version.effective_at,
            "previous": self.version,
            "revision": self.version.revision + 1,
            "signature_count": 0,
            "number": 9,
            "superseded_at": self.version.effective_at,
        }
        for column, value in changes.items():
            with self.subTest(column), self.assertRaises(IntegrityError), transaction.atomic():
                AgreementVersion.objects.filter(pk=self.version.pk).update(**{column: value})

    def test_the_database_refuses_deleting_a_signed_version_or_signature(self):
        deleted = "cannot be deleted"
        with self.assertRaisesRegex(IntegrityError, deleted), transaction.atomic():
            AgreementVersion.objects.filter(pk=self.version.pk)._raw_delete("default")
        with self.assertRaisesRegex(IntegrityError, deleted), transaction.atomic():
            Signature.objects.filter(version=self.version).delete()
        self.assertEqual(Signature.objects.filter(version=self.version).count(), 2)

    def test_the_database_refuses_editing_or_deleting_a_consent_but_allows_withdrawing(self):
        consent = ESignConsent.objects.get(user=self.theo)
        with self.assertRaises(IntegrityError), transaction.atomic():
            ESignConsent.objects.filter(pk=consent.pk).update(statement="I agree to nothing.")
        with self.assertRaisesRegex(IntegrityError, "cannot be deleted"), transaction.atomic():
            ESignConsent.objects.filter(pk=consent.pk)._raw_delete("default")

        self.assertTrue(services.withdraw_esign_consent(user=self.theo, agreement=self.agreement))

        with self.assertRaises(IntegrityError), transaction.atomic():
            ESignConsent.objects.filter(pk=consent.pk).update(withdrawn_at=None)

    def test_the_database_refuses_editing_or_deleting_a_revision(self):
        revision = AgreementRevision.objects.filter(agreement=self.agreement).first()
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementRevision.objects.filter(pk=revision.pk).update(
                content_token=crypto.encrypt_json({"goals": "x"})
            )
        with self.assertRaisesRegex(IntegrityError, "cannot be deleted"), transaction.atomic():
            AgreementRevision.objects.filter(pk=revision.pk).delete()
        self.assertEqual(AgreementRevision.objects.get(pk=revision.pk).content, revision.content)

    def test_a_key_rotation_may_replace_a_revisions_token_with_its_stamp(self):
        revision = AgreementRevision.objects.filter(agreement=self.agreement).last()
        token = crypto.rotate(revision.content_token)

        AgreementRevision.objects.filter(pk=revision.pk).update(
            content_token=token, key_rotated_at=timezone.now()
        )

        self.assertEqual(AgreementRevision.objects.get(pk=revision.pk).content, revision.content)
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementRevision.objects.filter(pk=revision.pk).update(author=self.cora)


class VoidedSignatureTestCase(AgreementTestCase):
    """An edit after a signature voids it: the one change a signature may have."""

    def test_an_edit_voids_a_signature_once_and_nothing_else_changes(self):
        version = self.complete()
        self.sign(self.theo, version)
        self.save(self.mia, {"frequency": "Monthly"})
        voided = Signature.objects.get(version=version)
        self.assertIsNotNone(voided.voided_at)

        for changes in ({"voided_at": None}, {"void_reason": "x"}, {"typed_name": "Someone"}):
            with self.subTest(changes), self.assertRaises(IntegrityError), transaction.atomic():
                Signature.objects.filter(pk=voided.pk).update(**changes)
        with self.assertRaises(IntegrityError), transaction.atomic():
            AgreementVersion.objects.filter(pk=version.pk).update(status="draft")
