from datetime import UTC, datetime

import time_machine
from django.core.exceptions import PermissionDenied

from mentorpact.agreements import selectors, services
from mentorpact.agreements.models import (
    Agreement,
    AgreementVersion,
    Signature,
)
from mentorpact.agreements.tests.base import MENTEE_PART, AgreementTestCase
from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership


class SignAgreementTestCase(AgreementTestCase):
    def test_it_records_who_when_where_and_what(self):
        version = self.complete()
        self.theo.time_zone = "Europe/Berlin"
        self.theo.save()
        with time_machine.travel(datetime(2027, 2, 1, 9, 30, tzinfo=UTC), tick=False):
            signature = self.sign(self.theo, version)
        signature.refresh_from_db()
        self.assertEqual(signature.role, "mentee")
        self.assertEqual(signature.signer, self.theo)
        self.assertEqual(signature.typed_name, "Theo Mentee")
        self.assertEqual(signature.signed_at, datetime(2027, 2, 1, 9, 30, tzinfo=UTC))
        self.assertEqual(signature.time_zone, "Europe/Berlin")
        self.assertEqual(signature.ip, "192.0.2.10")
        self.assertEqual(signature.user_agent, "Mozilla/5.0 (test)")
        self.assertEqual(signature.content_sha256, version.content_sha256)
        self.assertEqual(signature.revision, version.revision)
        self.assertIn(version.content_sha256, signature.intent_statement)
        self.assertFalse(signature.is_late)
        self.assertEqual(signature.consent, selectors.active_consent(self.theo))

    def test_one_signature_leaves_the_draft_a_draft(self):
        version = self.complete()
        self.sign(self.theo, version)
        version.refresh_from_db()
        self.assertEqual(version.status, AgreementVersion.Status.DRAFT)
        self.assertEqual(version.signature_count, 1)
        self.assertEqual(Partnership.objects.get().status, Partnership.Status.DRAFTING)

    def test_the_last_signature_puts_it_in_effect(self):
        version = self.sign_by_both()
        self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT)
        self.assertIsNotNone(version.effective_at)
        agreement = Agreement.objects.get()
        self.assertEqual(agreement.status, Agreement.Status.IN_EFFECT)
        self.assertEqual(agreement.in_effect_since, version.effective_at)
        kinds = [e.kind for e in Event.objects.filter(action__startswith="agreement.")]
        self.assertEqual(kinds.count("signed"), 2)
        self.assertEqual(kinds.count("in_effect"), 1)

    def test_the_partnership_becomes_active(self):
        self.sign_by_both()
        partnership = Partnership.objects.get()
        self.assertEqual(partnership.status, Partnership.Status.ACTIVE)
        event = Event.objects.get(action="partnership.status_changed")
        self.assertEqual(event.details["to_status"], "active")

    def test_signing_after_the_due_date_is_marked_late(self):
        version = self.complete()
        with time_machine.travel(datetime(2027, 2, 24, 12, 0, tzinfo=UTC), tick=False):
            signature = self.sign(self.theo, version)
        self.assertTrue(signature.is_late)
        event = Event.objects.get(action="agreement.signed")
        self.assertTrue(event.details["late"])

    def test_late_is_judged_in_the_signers_own_time_zone(self):
        version = self.complete()
        self.theo.time_zone = "America/Los_Angeles"
        self.theo.save()
        # 24 Feb 03:00 UTC is still 23 Feb in Los Angeles: on time.
        with time_machine.travel(datetime(2027, 2, 24, 3, 0, tzinfo=UTC), tick=False):
            signature = self.sign(self.theo, version)
        self.assertFalse(signature.is_late)


class SigningRefusedTestCase(AgreementTestCase):
    def assertRefused(self, message, user=None, version=None, **overrides):
        with self.assertRaisesMessage(services.AgreementError, message):
            self.sign(user or self.theo, version, **overrides)
        self.assertFalse(Signature.objects.exists())
        self.assertEqual(AgreementVersion.objects.get(pk=self.draft().pk).signature_count, 0)

    def test_without_consent(self):
        version = self.complete()
        with self.assertRaisesMessage(services.SignatureRefused, "consent"):
            services.sign_agreement(**self.signing_arguments(self.theo, version))

    def test_with_required_fields_missing(self):
        self.save(self.theo, MENTEE_PART)
        self.assertRefused("My goals as a mentor")

    def test_with_someone_elses_name(self):
        self.complete()
        self.assertRefused("exactly as it appears", typed_name="Mia Mentor")

    def test_with_an_empty_name(self):
        self.complete()
        self.assertRefused("Type your full name", typed_name="   ")

    def test_the_name_may_differ_in_case_and_spacing(self):
        version = self.complete()
        signature = self.sign(self.theo, version, typed_name="  theo   MENTEE ")
        self.assertEqual(signature.typed_name, "theo   MENTEE")

    def test_with_a_different_statement(self):
        self.complete()
        self.assertRefused("statement", intent_statement="I sign whatever.")

    def test_when_the_content_changed_after_it_was_shown(self):
        version = self.complete()
        shown = version.content_sha256
        self.save(self.mia, {"frequency": "Monthly"})
        self.assertRefused(
            "changed after it was shown",
            version=self.draft(),
            content_sha256_shown=shown,
        )

    def test_when_the_revision_changed_after_it_was_shown(self):
        version = self.complete()
        self.assertRefused("changed after it was shown", revision_shown=version.revision - 1)

    def test_a_second_signature_in_the_same_role(self):
        version = self.complete()
        self.sign(self.theo, version)
        with self.assertRaisesMessage(services.SignatureRefused, "already has the mentee"):
            self.sign(self.theo, AgreementVersion.objects.get(pk=version.pk))
        self.assertEqual(Signature.objects.count(), 1)
        self.assertEqual(AgreementVersion.objects.get(pk=version.pk).signature_count, 1)

    def test_by_the_coordinator(self):
        version = self.complete()
        with self.assertRaises(PermissionDenied):
            self.sign(self.cora, version)

    def test_by_an_outsider(self):
        version = self.complete()
        with self.assertRaises(PermissionDenied):
            self.sign(self.olive, version)
