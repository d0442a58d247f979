"""Signers and roles as the form says (issue 10 item 5): roles the form renames, a form only
the mentor signs, the coordinator co-signing a form with an acknowledgement, and a parent or
guardian invited by email to sign through a link that shows only what they sign."""

import re

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from mentorpact.agreement_templates.values import incomplete
from mentorpact.agreements import pdf, selectors, services, tokens
from mentorpact.agreements.models import AgreementVersion, InvitedSigner, Signature
from mentorpact.agreements.tests.base import (
    GUARDIAN,
    IMMEDIATE_TASKS,
    MENTEE_PART,
    AgreementViewTestCase,
    pact_yaml,
    pdf_pages_text,
)
from mentorpact.audit.models import Event

ACKNOWLEDGEMENT = """\
      - key: conduct
        kind: acknowledgement
        label: Code of conduct
        statement: We follow the program's code of conduct.
        required: true
"""


def with_acknowledgement(source: str) -> str:
    return source.replace("      - signatures: {}\n", ACKNOWLEDGEMENT + "      - signatures: {}\n")


class FormTestCase(AgreementViewTestCase):
    """The persona partnership on a form of the test's own (`source`)."""

    def accept(self, user, role: str) -> AgreementVersion:
        return self.save(user, {"conduct": {role: True}})


class RenamedRolesTest(FormTestCase):
    source = pact_yaml().replace("signers:", "roles: {mentee: Student, mentor: Tutor}\nsigners:")

    def test_the_signing_statement_and_the_pdf_name_the_roles_as_the_form_does(self):
        version = self.sign_by_both()
        statement = Signature.objects.get(version=version, role="mentee").intent_statement
        self.assertIn("agreement as the student.", statement)
        text = "".join(pdf_pages_text(services.version_pdf(version=version)))
        self.assertIn("Student", text)
        self.assertIn("Tutor", text)
        self.assertIn("The student: Theo Mentee", text)
        self.assertIn("The tutor: Mia Mentor", text)
        self.assertIn("Signed as the student", text)

    def test_the_agreement_page_names_the_signers_as_the_form_does(self):
        version = self.complete()
        self.sign(self.theo, version)
        self.sign_in(self.mia)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "Theo Mentee (student,")
        # Internally the roles stay mentor and mentee.
        self.assertEqual(Signature.objects.get().role, "mentee")
        r = self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))
        self.assertContains(r, "<dt>Student</dt>", html=False)
        self.assertContains(r, "<dt>Tutor</dt>", html=False)


class OnlyTheMentorSignsTest(FormTestCase):
    source = pact_yaml(signers=("mentor",))

    def test_the_mentors_signature_alone_puts_it_in_effect(self):
        version = self.complete()
        self.sign(self.mia, version)
        version.refresh_from_db()
        self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT)
        self.assertEqual(list(version.signatures.values_list("role", flat=True)), ["mentor"])

    def test_the_mentee_fills_in_their_part_and_cannot_sign(self):
        self.complete()
        self.sign_in(self.theo)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "This form is signed by the mentor")
        self.assertNotContains(r, self.url("sign"))
        self.assertEqual(self.client.get(self.url("sign")).status_code, 403)
        with self.assertRaises(PermissionDenied):  # from the service too
            self.sign(self.theo, self.draft())


class CoordinatorAndAcknowledgementTest(FormTestCase):
    """The deadlock: an acknowledgement waited for the coordinator's tick, and the coordinator
    cannot edit the draft. Now the coordinator accepts it by signing."""

    source = with_acknowledgement(pact_yaml(signers=("mentee", "mentor", "coordinator")))

    def test_the_partners_ticks_complete_the_draft_and_the_coordinator_accepts_by_signing(self):
        self.complete()
        self.accept(self.theo, "mentee")
        version = self.accept(self.mia, "mentor")
        self.sign_in(self.cora)
        r = self.client.get(self.url("sign"))
        self.assertContains(r, 'name="typed_name"')
        self.assertContains(r, "What you accept by signing")
        statement = selectors.signing_statement(version=version, user=self.cora, role="coordinator")
        self.assertIn("By signing I also accept, as written: “Code of conduct”.", statement)
        self.sign(self.theo, version)
        self.sign(self.mia, self.draft())
        self.sign(self.cora, self.draft())
        version.refresh_from_db()
        self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT)
        text = "".join(pdf_pages_text(services.version_pdf(version=version)))
        self.assertIn("Accepted by the coordinator on signing", text)

    def test_the_coordinator_cannot_be_ticked_in_the_draft(self):
        self.complete()
        with self.assertRaises(Exception) as refused:
            self.save(self.mia, {"conduct": {"coordinator": True}})
        self.assertIn("accepts this by signing", str(refused.exception))


class AcknowledgementOnlyTheCoordinatorAcceptsTest(FormTestCase):
    """Found by the Hypothesis test: a required acknowledgement nobody ticks in the draft (only
    the coordinator accepts it) left the draft incomplete for ever."""

    source = with_acknowledgement(pact_yaml(signers=("mentee", "mentor", "coordinator"))).replace(
        "        required: true\n      - signatures",
        "        required: true\n        accepted_by: [coordinator]\n      - signatures",
    )

    def test_the_draft_is_complete_without_it_and_the_coordinator_accepts_it_by_signing(self):
        version = self.complete()
        self.assertEqual(incomplete(version.template_version.as_template(), version.content), {})
        for user in (self.theo, self.mia, self.cora):
            self.sign(user, self.draft())
        version.refresh_from_db()
        self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT)
        statement = Signature.objects.get(version=version, role="coordinator").intent_statement
        self.assertIn("“Code of conduct”", statement)
        self.assertNotIn(
            "Code of conduct",
            Signature.objects.get(version=version, role="mentee").intent_statement,
        )


@override_settings(TASKS=IMMEDIATE_TASKS)
class InvitedGuardianTest(FormTestCase):
    source = with_acknowledgement(pact_yaml(signers=("mentee", "mentor", GUARDIAN)))

    def name_gwen(self, user=None, email="gwen@example.org") -> InvitedSigner:
        with self.captureOnCommitCallbacks(execute=True):
            return services.name_invited_signer(
                agreement=self.agreement,
                user=user or self.theo,
                role="guardian",
                name="Gwen Guardian",
                email=email,
            )

    def link(self) -> str:
        [email] = [m for m in mail.outbox if m.to == ["gwen@example.org"]][-1:]
        match = re.search(r"http://\S+/sign/(\S+)/", str(email.body))
        assert match, email.body
        return reverse("agreements:invited_sign", args=[match.group(1)])

    def ready(self) -> AgreementVersion:
        self.complete()
        self.accept(self.theo, "mentee")
        return self.accept(self.mia, "mentor")

    def test_the_mentee_names_the_guardian_who_is_emailed_a_link(self):
        invited = self.name_gwen()
        [email] = mail.outbox
        self.assertEqual(email.to, ["gwen@example.org"])
        self.assertEqual(
            email.subject, "Please sign a mentoring agreement as the parent or guardian"
        )
        self.assertIn("Theo Mentee (mentee) named you", email.body)
        self.assertNotIn(str(self.partnership.public_id), email.body)
        self.assertFalse(invited.user.has_usable_password())
        event = Event.objects.get(action="agreement.signer_named")
        self.assertEqual(event.details["role"], "guardian")
        self.assertNotIn("Gwen", str(event.details))  # ids, not names

    def test_the_mentor_may_not_name_the_mentees_guardian(self):
        with self.assertRaises(services.AgreementError) as refused:
            self.name_gwen(user=self.mia)
        self.assertEqual(refused.exception.message, "The mentee names the parent or guardian.")

    def test_the_guardian_sees_the_draft_they_sign_and_nothing_else(self):
        self.ready()
        self.name_gwen()
        self.client.logout()
        r = self.client.get(self.link())
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, MENTEE_PART["mentee_goals"])  # the agreement they sign
        self.assertContains(r, "Sign version 1 as the parent or guardian")
        self.assertContains(r, "“Code of conduct”")
        self.assertNotContains(r, str(self.partnership.public_id))  # no way into the rest

    def test_the_guardians_signature_is_their_own_and_completes_the_agreement(self):
        version = self.ready()
        self.name_gwen()
        self.sign(self.theo, version)
        self.sign(self.mia, self.draft())
        self.client.logout()
        url = self.link()
        form = self.client.get(url).context["form"]
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(
                url, {**form.initial, "consent": "on", "typed_name": "Gwen Guardian"}, follow=True
            )
        self.assertContains(r, "You signed version 1 as the parent or guardian")
        version.refresh_from_db()
        self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT)
        signature = Signature.objects.get(version=version, role="guardian")
        self.assertEqual(signature.signer.email, "gwen@example.org")
        self.assertEqual(signature.consent.user, signature.signer)
        self.assertIn("“Code of conduct”", signature.intent_statement)
        page = "".join(pdf_pages_text(pdf.render_pdf(version)))
        self.assertIn("The parent or guardian: Gwen Guardian", page)
        self.assertIn("Parent or guardian", page)
        # The sealed copy reaches her too, with no link into the partnership.
        to_gwen = [m for m in mail.outbox if m.to == ["gwen@example.org"]][-1]
        self.assertTrue(to_gwen.attachments)
        self.assertNotIn(str(self.partnership.public_id), to_gwen.body)

    def test_a_guardian_signature_is_append_only(self):
        version = self.ready()
        self.name_gwen()
        invited = InvitedSigner.objects.get()
        statement = selectors.signing_statement(version=version, user=invited.user, role="guardian")
        self.sign(invited.user, version, invited=invited, intent_statement=statement)
        with self.assertRaises(IntegrityError), transaction.atomic():
            Signature.objects.filter(role="guardian").update(typed_name="Someone else")
        with self.assertRaises(IntegrityError), transaction.atomic():
            Signature.objects.filter(role="guardian").delete()

    def test_naming_someone_else_stops_the_first_link(self):
        self.name_gwen()
        first = self.link()
        self.name_gwen(email="gwen.other@example.org")
        self.assertEqual(self.client.get(first).status_code, 404)
        self.assertEqual(InvitedSigner.objects.get().link_version, 2)

    def test_a_made_up_link_is_404(self):
        self.assertEqual(
            self.client.get(reverse("agreements:invited_sign", args=["made-up"])).status_code, 404
        )
        self.assertEqual(tokens.read("made-up"), None)

    def test_the_partners_page_offers_the_mentee_the_naming_form(self):
        self.sign_in(self.theo)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "Who else signs")
        self.assertContains(r, "Invite the parent or guardian to sign")
        self.sign_in(self.mia)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "the mentee gives their name and email")
        self.assertNotContains(r, "Invite the parent or guardian to sign")

    def test_naming_with_a_bad_email_keeps_the_input_beside_the_error(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("name_signer"),
            {
                "role": "guardian",
                "signer-guardian-name": "Gwen Guardian",
                "signer-guardian-email": "not an email",
            },
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Enter a valid email address.")
        self.assertContains(r, 'value="Gwen Guardian"')
        self.assertFalse(InvitedSigner.objects.exists())
