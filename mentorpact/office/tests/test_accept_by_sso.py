"""Accepting an invitation through the invited address's institution (sso)."""

from urllib.parse import quote

from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.lib.logs import redact
from mentorpact.office import selectors, services, tokens
from mentorpact.office.models import Invitation
from mentorpact.programs.models import Program
from mentorpact.sso.models import Identity
from mentorpact.sso.tests.base import SsoTestCase


class AcceptBySsoTests(SsoTestCase):
    def invite(self, email: str) -> str:
        services.enrol_people(
            program=self.program,
            people=[services.Person(email=email, full_name="Ivy New", role="mentee")],
            actor=self.cora,
        )
        self.invitation = Invitation.objects.get(user__email=email)
        self.token = tokens.make(self.invitation)
        return reverse("office:accept", kwargs={"token": self.token})

    def test_the_invitation_offers_the_institution_and_accepting_through_it_works(self):
        provider = self.make_provider()
        url = self.invite("ivy@uni.example")
        self.op.add_user("ivy@uni.example", "Ivy")
        page = self.client.get(url)
        start = reverse("sso:start", kwargs={"provider_id": provider.public_id})
        self.assertContains(page, "Accept with Test University")
        sso_url = f"{start}?next={quote(url, safe='/')}"
        self.assertContains(page, sso_url)
        # The invitation's token in that link is redacted in the access log too.
        self.assertNotIn(quote(self.token, safe="/"), redact(f"GET {sso_url} 302"))
        self.assertIn("[redacted]", redact(f"GET {sso_url} 302"))
        self.assertContains(page, "Set password and join")  # not SSO-only: a password too

        back = self.round_trip(provider, email="ivy@uni.example", next_url=url)
        self.assertRedirects(back, url, fetch_redirect_response=False)
        # The first sign-in through the institution accepted it: the link now welcomes.
        joined = self.client.get(url)
        self.assertRedirects(
            joined,
            reverse("matching:profile", kwargs={"program_id": self.program.public_id}),
            fetch_redirect_response=False,
        )
        self.invitation.refresh_from_db()
        self.assertIsNotNone(self.invitation.accepted_at)
        user = self.invitation.user
        user.refresh_from_db()
        self.assertFalse(user.has_usable_password())
        self.assertTrue(Identity.objects.filter(user=user, provider=provider).exists())

    def test_an_sso_only_address_cannot_join_with_a_password(self):
        self.make_provider(sso_only=["uni.example"])
        url = self.invite("ivy@uni.example")
        page = self.client.get(url)
        self.assertContains(page, "Accept with Test University")
        self.assertNotContains(page, "Set password")
        response = self.client.post(
            url,
            {"new_password1": "a long new password 9", "new_password2": "a long new password 9"},
        )
        self.assertContains(response, "join with Test University", status_code=400)
        self.invitation.refresh_from_db()
        self.assertIsNone(self.invitation.accepted_at)
        self.assertNotIn("_auth_user_id", self.client.session)


class FirstSignInAcceptsTests(SsoTestCase):
    """Someone invited who only ever signs in through their institution has no password to
    set, so no form would accept the invitation: their first sign-in does."""

    def setUp(self):
        super().setUp()
        self.provider = self.make_provider()
        self.other = Program.objects.create(name="Second program")
        self.invite(self.program, "mentee")
        self.invite(self.other, "mentor")

    def invite(self, program: Program, role: str) -> Invitation:
        services.enrol_people(
            program=program,
            people=[services.Person(email="ana@uni.example", full_name="Ana", role=role)],
            actor=self.cora,
        )
        return Invitation.objects.get(program=program, user=self.ana)

    def status(self, program: Program) -> bool:
        [row] = selectors.roster(program, search="ana@uni.example")
        return row.invited  # type: ignore[attr-defined]

    def test_the_first_sign_in_accepts_every_pending_invitation_and_records_it(self):
        self.assertTrue(self.status(self.program))

        response = self.round_trip(self.provider)

        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.ana.pk)
        self.assertFalse(self.status(self.program))  # the roster shows Ana as joined
        self.assertFalse(self.status(self.other))
        events = Event.objects.filter(action="program.invitation_accepted", actor=self.ana)
        self.assertEqual(
            sorted((event.program_id, event.details["via"]) for event in events),
            sorted([(self.program.pk, "sso"), (self.other.pk, "sso")]),
        )
        self.assertEqual({event.details["provider"] for event in events}, {self.provider.pk})

    def test_a_revoked_invitation_stays_revoked(self):
        revoked = Invitation.objects.get(program=self.other, user=self.ana)
        services.revoke_invitation(invitation=revoked, actor=self.cora)

        self.round_trip(self.provider)

        revoked.refresh_from_db()
        self.assertIsNone(revoked.accepted_at)
        self.assertFalse(self.status(self.program))

    def test_a_refused_sign_in_accepts_nothing(self):
        self.op.add_user("ana@other.example", "Ana elsewhere")
        response = self.round_trip(self.provider, email="ana@other.example")

        self.assertNotIn("_auth_user_id", self.client.session, response)
        self.assertTrue(self.status(self.program))
