"""A version in effect never changes: the services refuse, and so does the database."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementVersion, Signature
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

    def test_the_database_allows_superseding_and_sealing(self):
        AgreementVersion.objects.filter(pk=self.version.pk).update(
            sealed_pdf_sha256="a" * 64, status="superseded"
        )
        self.version.refresh_from_db()
        self.assertEqual(self.version.status, "superseded")
