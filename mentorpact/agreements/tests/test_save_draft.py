from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from mentorpact.agreements import services
from mentorpact.agreements.models import (
    AgreementAction,
    AgreementRevision,
    AgreementVersion,
    Signature,
)
from mentorpact.agreements.tests.base import (
    IMMEDIATE_TASKS,
    MENTEE_PART,
    MENTOR_PART,
    AgreementTestCase,
)
from mentorpact.audit.models import Event


class SaveDraftTestCase(AgreementTestCase):
    def test_either_partner_saves_shared_fields(self):
        self.save(self.mia, {"frequency": "Weekly"})
        self.save(self.theo, {"frequency": "Every two weeks"})
        self.assertEqual(self.draft().content["frequency"], "Every two weeks")

    def test_each_save_bumps_the_revision_and_keeps_a_copy(self):
        version = self.save(self.theo, {"frequency": "Weekly"}, based_on=1)
        self.assertEqual(version.revision, 2)
        self.assertEqual(self.draft().revision, 2)
        revision = AgreementRevision.objects.get(agreement=self.agreement, revision=2)
        self.assertEqual(revision.content, {"frequency": "Weekly"})
        self.assertEqual(revision.author, self.theo)

    def test_it_changes_the_content_hash(self):
        before = self.draft().content_sha256
        self.save(self.theo, {"frequency": "Weekly"})
        self.assertNotEqual(self.draft().content_sha256, before)

    def test_it_records_which_fields_changed_but_not_what_they_say(self):
        self.save(self.theo, {"frequency": "Weekly", "mentee_goals": "Secret plans"})
        event = Event.objects.filter(action=AgreementAction.EDITED).get()
        self.assertEqual(event.actor, self.theo)
        self.assertEqual(event.details["fields"], ["mentee_goals", "frequency"])
        self.assertNotIn("Secret plans", str(event.details))

    def test_a_save_with_no_change_writes_nothing(self):
        self.save(self.theo, {"frequency": "Weekly"})
        self.save(self.theo, {"frequency": "Weekly"})
        self.assertEqual(self.draft().revision, 2)
        self.assertEqual(Event.objects.filter(action="agreement.edited").count(), 1)

    def test_emptying_a_field_clears_it(self):
        self.save(self.theo, {"frequency": "Weekly"})
        self.save(self.theo, {"frequency": ""})
        self.assertNotIn("frequency", self.draft().content)

    def test_a_field_left_out_of_the_save_is_kept(self):
        self.save(self.theo, {"frequency": "Weekly"})
        self.save(self.theo, {"months": "6"})
        self.assertEqual(self.draft().content, {"frequency": "Weekly", "months": 6})


class PartyFieldsTestCase(AgreementTestCase):
    def test_the_mentee_fills_in_their_own_field(self):
        self.save(self.theo, {"mentee_goals": "Publish"})
        self.assertEqual(self.draft().content["mentee_goals"], "Publish")

    def test_the_mentor_cannot_write_the_mentees_field(self):
        self.save(self.theo, {"mentee_goals": "Publish"})
        self.save(self.mia, {"mentee_goals": "Overwritten by Mia", "frequency": "Weekly"})
        content = self.draft().content
        self.assertEqual(content["mentee_goals"], "Publish")
        self.assertEqual(content["frequency"], "Weekly")

    def test_the_mentee_cannot_write_the_mentors_field(self):
        self.save(self.theo, {"mentor_goals": "Theo writes for Mia"})
        self.assertNotIn("mentor_goals", self.draft().content)

    def test_the_coordinator_cannot_edit(self):
        with self.assertRaises(PermissionDenied):
            self.save(self.cora, {"frequency": "Weekly"})

    def test_an_outsider_cannot_edit(self):
        with self.assertRaises(PermissionDenied):
            self.save(self.olive, {"frequency": "Weekly"})
        self.assertEqual(self.draft().revision, 1)


class BadInputTestCase(AgreementTestCase):
    def test_a_number_out_of_range_is_refused_beside_its_field(self):
        with self.assertRaises(ValidationError) as caught:
            self.save(self.theo, {"months": "99", "frequency": "Weekly"})
        self.assertIn("months", caught.exception.message_dict)
        self.assertEqual(self.draft().content, {})  # nothing saved, not even the valid part

    def test_an_impossible_date_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.save(self.theo, {"first_meeting": "2027-02-30"})
        self.assertIn("first_meeting", caught.exception.message_dict)

    def test_over_long_text_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.save(self.theo, {"frequency": "x" * 201})
        self.assertIn("200", caught.exception.message_dict["frequency"][0])

    def test_markup_is_kept_as_text(self):
        self.save(self.theo, {"frequency": "<script>alert(1)</script>"})
        self.assertEqual(self.draft().content["frequency"], "<script>alert(1)</script>")


class StaleSaveTestCase(AgreementTestCase):
    def test_a_save_based_on_an_old_revision_is_refused(self):
        self.save(self.mia, {"frequency": "Weekly"}, based_on=1)
        with self.assertRaises(services.StaleDraft) as caught:
            self.save(self.theo, {"frequency": "Monthly"}, based_on=1)
        self.assertEqual(self.draft().content["frequency"], "Weekly")
        self.assertEqual(self.draft().revision, 2)
        self.assertEqual(
            Event.objects.filter(action__startswith="agreement.", actor=self.theo).count(), 0
        )
        stale = caught.exception
        self.assertIn("Mia Mentor changed “How often we meet”", stale.message)
        self.assertEqual([c.key for c in stale.changes], ["frequency"])
        self.assertEqual(stale.changes[0].after, "Weekly")

    def test_the_refused_save_merges_three_ways(self):
        self.save(self.mia, {"frequency": "Weekly", "months": "6"}, based_on=1)
        try:
            self.save(self.theo, {"frequency": "Monthly", "mentee_goals": "Mine"}, based_on=1)
        except services.StaleDraft as stale:
            merged = services.merge_stale(stale, {"frequency": "Monthly", "mentee_goals": "Mine"})
        self.assertEqual(
            merged.content, {"frequency": "Monthly", "months": 6, "mentee_goals": "Mine"}
        )
        self.assertEqual(merged.conflicts, ["frequency"])

    def test_a_save_after_signing_and_activation_is_locked(self):
        self.sign_by_both()
        with self.assertRaises(services.AgreementLocked):
            self.save(self.theo, {"frequency": "Monthly"}, based_on=3)


class EditAfterSignatureTestCase(AgreementTestCase):
    def test_it_makes_a_new_version_and_voids_the_signature(self):
        signed = self.complete()
        signature = self.sign(self.theo, signed)
        new = self.save(self.mia, {"frequency": "Monthly"})
        self.assertEqual(new.number, 2)
        self.assertEqual(new.status, AgreementVersion.Status.DRAFT)
        self.assertEqual(new.previous_id, signed.pk)
        self.assertEqual(new.content["frequency"], "Monthly")
        signed.refresh_from_db()
        self.assertEqual(signed.status, AgreementVersion.Status.REPLACED)
        self.assertEqual(signed.content["frequency"], MENTEE_PART["frequency"])  # as signed
        signature.refresh_from_db()
        self.assertIsNotNone(signature.voided_at)
        self.assertIn("Mia Mentor edited", signature.void_reason)
        self.assertFalse(Signature.objects.filter(version=new).exists())

    def test_it_records_the_voided_signature(self):
        signed = self.complete()
        self.sign(self.theo, signed)
        self.save(self.mia, {"frequency": "Monthly"})
        event = Event.objects.get(action=AgreementAction.SIGNATURE_VOIDED)
        self.assertEqual(event.details["version_id"], signed.pk)
        self.assertEqual(event.details["role"], "mentee")

    @override_settings(TASKS=IMMEDIATE_TASKS)
    def test_the_signer_is_told_by_email(self):
        signed = self.complete()
        self.sign(self.theo, signed)
        with self.captureOnCommitCallbacks(execute=True):
            self.save(self.mia, {"frequency": "Monthly"})
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [self.theo.email])
        self.assertIn("voided", mail.outbox[0].subject)

    def test_an_unchanged_save_after_a_signature_voids_nothing(self):
        signed = self.complete()
        signature = self.sign(self.theo, signed)
        self.save(self.mia, MENTOR_PART)
        signature.refresh_from_db()
        self.assertIsNone(signature.voided_at)
        self.assertEqual(self.draft().pk, signed.pk)

    def test_the_old_form_is_stale_after_the_new_version(self):
        signed = self.complete()
        self.sign(self.theo, signed)
        self.save(self.mia, {"frequency": "Monthly"}, based_on=signed.revision)
        with self.assertRaises(services.StaleDraft):
            self.save(self.theo, {"frequency": "Daily"}, based_on=signed.revision)
