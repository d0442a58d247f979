"""A template whose signers include the program's coordinator: Cora signs after the partners,
reading the draft on the sign page, and only her signature puts it in effect."""

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from mentorpact.agreements import pdf, services
from mentorpact.agreements.models import AgreementVersion, Signature
from mentorpact.agreements.tests.base import (
    IMMEDIATE_TASKS,
    AgreementViewTestCase,
    pdf_pages_text,
)
from mentorpact.audit.models import Event
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import make_user


class CoordinatorSignerTestCase(AgreementViewTestCase):
    signers = ("mentor", "mentee", "coordinator")

    def signed_by_partners(self) -> AgreementVersion:
        version = self.complete()
        self.sign(self.theo, version)
        self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))
        return AgreementVersion.objects.get(pk=version.pk)

    def section(self, user):
        self.sign_in(user)
        return self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))

    def test_the_partners_signatures_alone_do_not_put_it_in_effect(self):
        version = self.signed_by_partners()
        self.assertEqual(version.status, AgreementVersion.Status.DRAFT)
        self.assertEqual(version.signature_count, 2)
        self.assertFalse(Event.objects.filter(action="agreement.in_effect").exists())

    def test_the_coordinator_reads_the_draft_on_the_sign_page(self):
        version = self.signed_by_partners()
        self.sign_in(self.cora)
        r = self.client.get(self.url("sign"))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Every two weeks")  # the content she signs
        self.assertContains(r, version.content_sha256)
        self.assertContains(r, "I, Cora Coordinator, sign version 1")
        self.assertContains(r, "as the coordinator")
        self.assertContains(r, 'name="typed_name"')

    @override_settings(TASKS=IMMEDIATE_TASKS)
    def test_the_coordinators_signature_puts_it_in_effect_once_and_emails_everyone(self):
        version = self.signed_by_partners()
        self.sign_in(self.cora)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(self.url("sign"), self.sign_form(self.cora, version), follow=True)
        self.assertContains(r, "version 1 is in effect")
        version.refresh_from_db()
        self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT)
        signature = Signature.objects.get(version=version, role="coordinator")
        self.assertEqual(signature.signer, self.cora)
        self.assertEqual(signature.typed_name, "Cora Coordinator")
        self.assertEqual(signature.content_sha256, version.content_sha256)
        self.assertEqual(signature.ip, "127.0.0.1")
        self.assertEqual(Event.objects.filter(action="agreement.in_effect").count(), 1)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "active")
        # Both partners, the coordinator who signed, and the program's return address.
        recipients = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(
            recipients,
            ["cora@example.org", "mia@example.org", "office@example.org", "theo@example.org"],
        )
        self.assertTrue(all(m.attachments for m in mail.outbox))
        to_cora = next(m for m in mail.outbox if m.to == ["cora@example.org"])
        self.assertIn("Cora Coordinator (coordinator) have signed", to_cora.body)
        self.assertEqual(
            to_cora.subject, "The mentoring agreement of Mia Mentor and Theo Mentee is signed"
        )
        emailed = Event.objects.get(action="agreement.emailed")
        self.assertLessEqual(
            {"partners": 2, "program": True, "coordinator": True}.items(), emailed.details.items()
        )

    def test_a_second_coordinator_cannot_sign_again(self):
        version = self.signed_by_partners()
        self.sign(self.cora, version)
        cole = make_user("cole@example.org", "Cole Coordinator")
        Enrolment.objects.create(program=self.program, user=cole, role="coordinator")
        with self.assertRaises(services.AgreementLocked):
            self.sign(cole, AgreementVersion.objects.get(pk=version.pk))
        self.assertEqual(Signature.objects.filter(role="coordinator").count(), 1)
        self.assertEqual(Event.objects.filter(action="agreement.in_effect").count(), 1)

    def test_the_coordinator_may_sign_before_the_partners(self):
        version = self.complete()
        self.sign(self.cora, version)
        self.sign(self.theo, AgreementVersion.objects.get(pk=version.pk))
        self.assertEqual(AgreementVersion.objects.get(pk=version.pk).status, "draft")
        self.sign(self.mia, AgreementVersion.objects.get(pk=version.pk))
        self.assertEqual(AgreementVersion.objects.get(pk=version.pk).status, "in_effect")

    def test_the_partnership_page_asks_the_coordinator_to_sign(self):
        self.sign(self.theo, self.complete())
        r = self.section(self.cora)
        self.assertContains(r, "Awaiting your signature")
        self.assertContains(r, self.url("sign"))
        self.assertContains(r, "1 of 3 signatures")

    def test_the_partnership_page_waits_for_a_complete_draft(self):
        self.save(self.theo, {"frequency": "Weekly"})
        r = self.section(self.cora)
        self.assertNotContains(r, "Awaiting your signature")
        self.assertContains(r, "0 of 3 signatures")

    def test_the_partnership_page_stops_asking_once_she_signed(self):
        self.sign(self.cora, self.complete())
        r = self.section(self.cora)
        self.assertNotContains(r, "Awaiting your signature")
        self.assertContains(r, "1 of 3 signatures")
        self.assertContains(self.section(self.mia), "1 of 3 signatures")

    def test_an_incomplete_draft_cannot_be_signed_from_the_sign_page(self):
        self.save(self.theo, {"frequency": "Weekly"})
        self.sign_in(self.cora)
        r = self.client.get(self.url("sign"))
        self.assertContains(r, "cannot be signed yet")
        self.assertNotContains(r, 'name="typed_name"')

    def test_the_signature_page_of_the_sealed_pdf_lists_three_signers(self):
        version = self.signed_by_partners()
        self.sign(self.cora, version)
        version.refresh_from_db()
        text = "".join(pdf_pages_text(services.version_pdf(version=version)))
        page = text[text.index("Signature page") : text.index("Audit trail")]
        self.assertIn("The mentor: Mia Mentor", page)
        self.assertIn("The mentee: Theo Mentee", page)
        self.assertIn("The coordinator: Cora Coordinator", page)
        self.assertIn("Signed as the coordinator", "".join(pdf_pages_text(pdf.render_pdf(version))))

    def test_an_outsider_gets_404(self):
        self.complete()
        self.sign_in(self.olive)
        self.assertEqual(self.client.get(self.url("sign")).status_code, 404)
        self.assertEqual(self.client.post(self.url("sign"), {}).status_code, 404)

    def test_another_programs_coordinator_gets_404(self):
        version = self.complete()
        other = Program.objects.create(name="Other Program")
        carl = make_user("carl@example.org", "Carl Coordinator")
        Enrolment.objects.create(program=other, user=carl, role="coordinator")
        self.sign_in(carl)
        self.assertEqual(self.client.get(self.url("sign")).status_code, 404)
        r = self.client.post(self.url("sign"), self.sign_form(carl, version))
        self.assertEqual(r.status_code, 404)
        with self.assertRaises(PermissionDenied):
            self.sign(carl, version)
        self.assertFalse(Signature.objects.exists())


class CoordinatorOfAPairTemplateTestCase(AgreementViewTestCase):
    """The default: mentor and mentee sign, and the coordinator cannot."""

    def test_the_sign_page_refuses_her_with_403(self):
        version = self.complete()
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url("sign")).status_code, 403)
        data = self.sign_form(self.cora, version)
        self.assertEqual(self.client.post(self.url("sign"), data).status_code, 403)
        self.assertFalse(Signature.objects.exists())

    def test_the_service_refuses_her(self):
        version = self.complete()
        with self.assertRaises(PermissionDenied):
            self.sign(self.cora, version)
        self.assertFalse(Signature.objects.exists())

    def test_the_partnership_page_does_not_ask_her_to_sign(self):
        self.sign(self.theo, self.complete())
        self.sign_in(self.cora)
        r = self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))
        self.assertNotContains(r, "Awaiting your signature")
        self.assertNotContains(r, "signatures.")
