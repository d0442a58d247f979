"""When a signer signs and others have not, each of those is emailed that it is their turn:
once (a task run again sends nothing more), never after the signature was voided, never once
the version is in effect, and the coordinator too when the form has the coordinator sign."""

from unittest import mock

from django.core import mail
from django.test import override_settings

from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import IMMEDIATE_TASKS, MENTEE_PART, AgreementTestCase
from mentorpact.outbox.models import Email


@override_settings(TASKS=IMMEDIATE_TASKS)
class YourTurnToSignTest(AgreementTestCase):
    def sign_now(self, user, version=None):
        with self.captureOnCommitCallbacks(execute=True):
            return self.sign(user, version)

    def test_the_partner_who_has_not_signed_is_told_it_is_their_turn(self):
        self.theo.preferred_name = "Teddy"  # partners see each other's preferred names
        self.theo.save()
        version = self.complete()
        signature = self.sign_now(self.theo, version)

        [email] = mail.outbox
        self.assertEqual(email.to, ["mia@example.org"])
        self.assertEqual(email.subject, "Your turn to sign your mentoring agreement")
        self.assertIn("Teddy (mentee) signed version 1", email.body)
        self.assertIn(f"/{self.partnership.public_id}/", email.body)
        self.assertNotIn(MENTEE_PART["mentee_goals"], email.body)  # what they agreed stays out
        self.assertTrue(email.body.startswith("Hello Mia Mentor,"))
        self.assertEqual(
            Email.objects.get().key, f"agreement-your-turn:{signature.pk}:{self.mia.pk}"
        )

        services.email_your_turn_to_sign(signature=signature)  # the task run again
        self.assertEqual(len(mail.outbox), 1)

    def test_the_last_signature_puts_it_in_effect_and_sends_no_turn(self):
        version = self.complete()
        self.sign_now(self.theo, version)
        mail.outbox.clear()
        # Sealing and delivering the signed PDF is another test's (and slow): left out here.
        with (
            mock.patch.object(services, "seal_signed_version"),
            mock.patch.object(services, "email_signed_version") as deliver,
        ):
            self.sign_now(self.mia, AgreementVersion.objects.get(pk=version.pk))

        deliver.assert_called_once()
        self.assertEqual(AgreementVersion.objects.get(pk=version.pk).status, "in_effect")
        self.assertEqual(mail.outbox, [])

    def test_a_signature_voided_before_the_task_runs_sends_nothing(self):
        version = self.complete()
        signature = self.sign(self.theo, version)
        self.save(self.mia, {"mentor_goals": "Changed after Theo signed."})
        signature.refresh_from_db()

        self.assertEqual(services.email_your_turn_to_sign(signature=signature), 0)
        self.assertFalse([m for m in mail.outbox if "Your turn" in m.subject])


@override_settings(TASKS=IMMEDIATE_TASKS)
class CoordinatorsTurnTest(AgreementTestCase):
    signers = ("mentor", "mentee", "coordinator")

    def test_after_both_partners_the_coordinator_is_told(self):
        version = self.complete()
        with self.captureOnCommitCallbacks(execute=True):
            self.sign(self.theo, version)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))

        [email] = mail.outbox
        self.assertEqual(email.to, ["cora@example.org"])
        self.assertIn("Mia Mentor (mentor) signed version 1", email.body)  # the full name
        self.assertIn("It is your turn to sign for the program", email.body)
