"""Accepting an invitation through the invited address's institution (sso)."""

from urllib.parse import quote

from django.urls import reverse

from mentorpact.lib.logs import redact
from mentorpact.office import services, tokens
from mentorpact.office.models import Invitation
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
        page = self.client.get(url)
        self.assertContains(page, "You are signed in as ivy@uni.example")
        self.assertNotContains(page, "Set password")

        joined = self.client.post(url)
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
