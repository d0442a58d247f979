import re
from datetime import timedelta

import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentorpact.office.models import Invitation
from mentorpact.office.tests.base import OfficeTestCase
from mentorpact.programs.models import Enrolment

PASSWORD = "a long enough new passphrase"


class InvitationsTestCase(OfficeTestCase):
    def invite(self, email="ivy@example.org", role="mentee", **data):
        self.sign_in(self.cora)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("office:invite", args=[self.program.public_id]),
                {"email": email, "full_name": "Ivy New", "role": role} | data,
            )

    def link(self, message=None) -> str:
        message = message or mail.outbox[-1]
        match = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body)
        assert match is not None, message.body
        return match.group(1)

    def accept(self, link, password=PASSWORD, again=None):
        self.client.logout()
        return self.client.post(
            link, {"new_password1": password, "new_password2": again or password}
        )

    def ivy(self) -> Invitation:
        return Invitation.objects.select_related("user").get(user__email="ivy@example.org")

    def test_inviting_a_new_person_enrols_them_and_emails_a_link(self):
        response = self.invite(department="Physics", time_zone="Europe/Paris")
        self.assertRedirects(response, reverse("office:roster", args=[self.program.public_id]))
        invitation = self.ivy()
        self.assertEqual(invitation.user.department, "Physics")
        self.assertEqual(invitation.user.time_zone, "Europe/Paris")
        self.assertTrue(Enrolment.objects.filter(user=invitation.user, role="mentee").exists())
        self.assertEqual(self.sent_to(), ["ivy@example.org"])
        self.assertIn("Peer Mentoring", mail.outbox[0].subject)
        self.assertIn("14 days", mail.outbox[0].body)
        self.assertEqual(self.events(), ["invited"])

    def test_the_link_sets_a_password_signs_in_and_works_once(self):
        self.invite()
        link = self.link()
        self.assertContains(self.client.get(link), "Join Peer Mentoring")
        response = self.accept(link)
        # To the program's intake questions (matching), which sends them home when it has none.
        self.assertRedirects(
            response,
            reverse("matching:profile", args=[self.program.public_id]),
            target_status_code=302,
        )
        invitation = self.ivy()
        self.assertIsNotNone(invitation.accepted_at)
        self.assertTrue(invitation.user.check_password(PASSWORD))
        self.assertEqual(int(self.client.session["_auth_user_id"]), invitation.user.pk)
        self.assertEqual(self.events()[-1], "invitation_accepted")
        self.client.logout()
        response = self.client.get(link)
        self.assertContains(response, "already been accepted", status_code=410)

    def test_a_coordinator_lands_on_their_program(self):
        self.invite(email="ivy@example.org", role="coordinator")
        response = self.accept(self.link())
        self.assertRedirects(
            response,
            reverse("programs:overview", args=[self.program.public_id]),
            fetch_redirect_response=False,
        )

    def test_passwords_are_checked_beside_the_field(self):
        self.invite()
        response = self.accept(self.link(), password="short", again="other")
        self.assertContains(response, 'id="id_new_password2_error"', status_code=400)
        self.assertIsNone(self.ivy().accepted_at)

    @override_settings(INVITATION_MAX_AGE_DAYS=3)
    def test_an_expired_link_says_so(self):
        self.invite()
        link = self.link()
        with time_machine.travel(timezone.now() + timedelta(days=4)):
            response = self.client.get(link)
            self.assertContains(response, "has expired", status_code=410)
            self.accept(link)
        self.assertIsNone(self.ivy().accepted_at)

    def test_a_revoked_link_says_so_and_the_person_leaves_the_roster(self):
        self.invite()
        link = self.link()
        invitation = self.ivy()
        url = reverse("office:revoke", args=[self.program.public_id, invitation.public_id])
        self.client.post(url)
        self.assertFalse(Enrolment.objects.filter(user=invitation.user).exists())
        self.assertContains(self.client.get(link), "was revoked", status_code=410)
        self.assertEqual(self.events(), ["invited", "invitation_revoked"])

    def test_a_resend_replaces_the_link(self):
        self.invite()
        old = self.link()
        invitation = self.ivy()
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                reverse("office:resend", args=[self.program.public_id, invitation.public_id])
            )
        self.assertEqual(len(mail.outbox), 2)
        new = self.link()
        self.assertNotEqual(old, new)
        self.assertContains(self.client.get(old), "newer invitation", status_code=410)
        self.assertEqual(self.accept(new).status_code, 302)

    def test_a_resend_after_a_revoke_enrols_again(self):
        self.invite()
        invitation = self.ivy()
        args = [self.program.public_id, invitation.public_id]
        self.client.post(reverse("office:revoke", args=args))
        self.client.post(reverse("office:resend", args=args))
        self.assertTrue(self.ivy().is_pending)
        self.assertTrue(Enrolment.objects.filter(user=invitation.user, role="mentee").exists())

    def test_a_paired_person_cannot_be_revoked(self):
        invitation = Invitation.objects.create(
            program=self.program, user=self.theo, role="mentee", sent_at=timezone.now()
        )
        self.sign_in(self.cora)
        url = reverse("office:revoke", args=[self.program.public_id, invitation.public_id])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "already paired")
        self.assertTrue(Enrolment.objects.filter(user=self.theo, role="mentee").exists())

    def test_a_made_up_link_is_not_found(self):
        response = self.client.get(reverse("office:accept", args=["made-up:token"]))
        self.assertContains(response, "not valid", status_code=404)

    def test_an_existing_account_is_enrolled_and_told(self):
        response = self.invite(email="OLIVE@example.org", role="mentor", capacity="2")
        self.assertEqual(response.status_code, 302)
        enrolment = Enrolment.objects.get(program=self.program, user=self.olive)
        self.assertEqual((enrolment.role, enrolment.capacity), ("mentor", 2))
        self.assertFalse(Invitation.objects.filter(user=self.olive).exists())
        self.assertIn("added to Peer Mentoring", mail.outbox[0].subject)

    def test_inviting_again_changes_nothing(self):
        self.invite()
        self.invite()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(self.events(), ["invited"])

    def test_form_errors_are_shown_beside_fields_with_input_kept(self):
        response = self.invite(email="bad", role="boss", capacity="2")
        self.assertContains(response, 'id="id_email_error"', status_code=400)
        self.assertContains(response, 'id="id_role_error"', status_code=400)
        self.assertContains(response, 'value="bad"', status_code=400)
        response = self.invite(role="mentee", capacity="2")
        self.assertContains(response, "Only mentors take mentees", status_code=400)
        response = self.invite(email="mia@example.org", role="mentee")
        self.assertContains(response, "already enrolled", status_code=400)
        self.assertEqual(mail.outbox, [])

    def test_others_may_not_invite_resend_or_revoke(self):
        self.invite()
        invitation = self.ivy()
        args = [self.program.public_id, invitation.public_id]
        for person, status in ((self.carl, 404), (self.olive, 404), (self.mia, 403)):
            self.sign_in(person)
            url = reverse("office:invite", args=[self.program.public_id])
            self.assertEqual(self.client.get(url).status_code, status)
            self.assertEqual(
                self.client.post(reverse("office:revoke", args=args)).status_code, status
            )
            self.assertEqual(
                self.client.post(reverse("office:resend", args=args)).status_code, status
            )
        self.assertTrue(self.ivy().is_pending)
