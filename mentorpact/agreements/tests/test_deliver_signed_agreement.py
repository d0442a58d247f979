from datetime import timedelta
from unittest import mock

import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from mentorpact.agreements import sealing, services, tasks
from mentorpact.agreements.models import AgreementAction, AgreementVersion
from mentorpact.agreements.tests.base import IMMEDIATE_TASKS, AgreementTestCase
from mentorpact.audit.models import Event
from mentorpact.outbox import sender
from mentorpact.outbox.models import Email

SCRIPT = "<script>alert(1)</script>"


@override_settings(TASKS=IMMEDIATE_TASKS)
class DeliverSignedAgreementTestCase(AgreementTestCase):
    def sign_and_deliver(self) -> AgreementVersion:
        version = self.complete()
        self.sign(self.theo, version)
        with self.captureOnCommitCallbacks(execute=True):
            self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))
        return AgreementVersion.objects.get(pk=version.pk)

    def test_both_partners_and_the_program_get_the_sealed_pdf(self):
        version = self.sign_and_deliver()
        recipients = sorted(address for message in mail.outbox for address in message.to)
        self.assertEqual(recipients, ["mia@example.org", "office@example.org", "theo@example.org"])
        for message in mail.outbox:
            ((filename, content, mimetype),) = message.attachments
            self.assertEqual(mimetype, "application/pdf")
            self.assertTrue(filename.endswith(f"-v{version.number}-signed.pdf"))
            self.assertTrue(sealing.verify_pdf(content).intact)

    def test_the_partners_email_says_what_happened(self):
        self.sign_and_deliver()
        to_theo = next(m for m in mail.outbox if m.to == ["theo@example.org"])
        self.assertEqual(to_theo.subject, "Your mentoring agreement with Mia Mentor is signed")
        self.assertIn("Version 1 is in effect since", to_theo.body)
        self.assertIn("/verify/", to_theo.body)
        self.assertIn(f"/partnerships/{self.partnership.public_id}/agreement/", to_theo.body)
        self.assertNotIn("keep a copy", to_theo.body)  # the test form has no keep_copy rule

    def test_the_keep_a_copy_rule_is_said_to_the_partners(self):
        self.program.rules = {"keep_copy": True}
        self.program.save(update_fields=["rules"])
        self.sign_and_deliver()
        said = "The program asks mentor and mentee each to keep a copy of this agreement"
        for address in ("theo@example.org", "mia@example.org"):
            message = next(m for m in mail.outbox if m.to == [address])
            self.assertIn(said, message.body)
            self.assertIn(said, message.alternatives[0][0])
        to_office = next(m for m in mail.outbox if m.to == ["office@example.org"])
        self.assertNotIn(said, to_office.body)

    def test_it_records_sealing_and_emailing(self):
        version = self.sign_and_deliver()
        self.assertTrue(version.sealed_pdf)
        self.assertIsNotNone(version.delivered_at)
        emailed = Event.objects.get(action=AgreementAction.EMAILED)
        self.assertLessEqual({"partners": 2, "program": True}.items(), emailed.details.items())
        self.assertTrue(Event.objects.filter(action="agreement.pdf_sealed").exists())

    def test_running_the_task_again_sends_nothing_more(self):
        version = self.sign_and_deliver()
        tasks.deliver_signed_agreement.call(version_id=version.pk)
        self.assertEqual(len(mail.outbox), 3)
        self.assertEqual(Event.objects.filter(action="agreement.emailed").count(), 1)

    def test_names_are_escaped_in_the_html_email(self):
        self.mia.full_name = f"Mia {SCRIPT}"
        self.mia.save()
        self.sign_and_deliver()
        to_theo = next(m for m in mail.outbox if m.to == ["theo@example.org"])
        html = to_theo.alternatives[0].content
        self.assertNotIn(SCRIPT, html)
        self.assertIn("Mia &lt;script&gt;alert(1)&lt;/script&gt;", html)


@override_settings(TASKS=IMMEDIATE_TASKS)
class DeliverBetweenThePairTestCase(AgreementTestCase):
    distribution = "pair"

    def test_only_the_partners_get_the_pdf(self):
        version = self.complete()
        self.sign(self.theo, version)
        with self.captureOnCommitCallbacks(execute=True):
            self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))
        recipients = sorted(address for message in mail.outbox for address in message.to)
        self.assertEqual(recipients, ["mia@example.org", "theo@example.org"])
        event = Event.objects.get(action="agreement.emailed")
        self.assertFalse(event.details["program"])


class DeliveryFailureTestCase(AgreementTestCase):
    def test_a_failed_send_is_retried_after_a_backoff_under_the_same_message_id(self):
        version = self.sign_by_both()
        down = ConnectionError("SMTP server unreachable")
        with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=down):
            services.email_signed_version(version=version)
        self.assertEqual(mail.outbox, [])
        waiting = Email.objects.order_by("id")
        self.assertEqual([(e.attempts, e.sent_at) for e in waiting], [(1, None)] * 3)
        self.assertEqual(waiting[0].last_error, "ConnectionError: SMTP server unreachable")
        # Due again after the first backoff (5 minutes), not before.
        self.assertEqual(sender.send_due()["sent"], 0)
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            self.assertEqual(sender.send_due()["sent"], 3)
        self.assertEqual(
            sorted(m.extra_headers["Message-ID"] for m in mail.outbox),
            sorted(e.message_id for e in waiting),
        )
        services.email_signed_version(version=version)
        self.assertEqual(len(mail.outbox), 3)


class SealSignedAgreementTestCase(AgreementTestCase):
    def test_it_seals_the_signed_version_and_emails_nobody(self):
        version = self.complete()
        self.sign(self.theo, version)
        self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))

        tasks.seal_signed_agreement.call(version_id=version.pk)

        version.refresh_from_db()
        self.assertTrue(sealing.verify_pdf(services.version_pdf(version=version)).intact)
        self.assertEqual(Event.objects.filter(action="agreement.pdf_sealed").count(), 1)
        self.assertEqual(mail.outbox, [])
        self.assertFalse(Email.objects.exists())
