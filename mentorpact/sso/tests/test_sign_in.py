"""Signing in through the real OpenID provider: discovery, the code flow with PKCE, state
and nonce, the ID token's issuer, audience and expiry, and linking an invited account."""

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.sso.models import Identity
from mentorpact.sso.tests.base import SsoTestCase, query


def failures(reason: str) -> list[Event]:
    return list(Event.objects.filter(action="accounts.sign_in_failed", details__reason=reason))


class CodeFlowTests(SsoTestCase):
    def test_the_authorization_request_comes_from_discovery_with_pkce_state_and_nonce(self):
        provider = self.make_provider()
        url = self.begin(provider)
        self.assertTrue(url.startswith(self.op.issuer + "/authorize/"))
        params = query(url)
        self.assertEqual(params["client_id"], provider.client_id)
        self.assertEqual(params["response_type"], "code")
        self.assertEqual(params["code_challenge_method"], "S256")
        self.assertGreaterEqual(len(params["code_challenge"]), 43)
        self.assertIn("openid", params["scope"].split())
        self.assertTrue(params["state"] and params["nonce"])
        self.assertEqual(
            params["redirect_uri"],
            "http://testserver"
            + reverse("sso:callback", kwargs={"provider_id": provider.public_id}),
        )

    def test_an_invited_person_signs_in_and_their_account_is_linked(self):
        provider = self.make_provider()
        response = self.round_trip(provider, next_url="/accounts/profile/")
        self.assertRedirects(response, "/accounts/profile/", fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.ana.pk)
        identity = Identity.objects.get(provider=provider)
        self.assertEqual((identity.user, identity.subject), (self.ana, self.ana_sub))
        self.assertIsNotNone(identity.last_used_at)
        signed_in = Event.objects.get(action="accounts.signed_in", actor=self.ana)
        self.assertEqual(signed_in.details, {"via": "sso", "provider": provider.pk})
        self.assertTrue(
            Event.objects.filter(action="sso.account_linked", object_id=self.ana.pk).exists()
        )

    def test_a_linked_person_is_found_by_their_subject_after_changing_their_email(self):
        provider = self.make_provider()
        self.round_trip(provider)
        self.client.logout()
        type(self.ana).objects.filter(pk=self.ana.pk).update(email="ana.new@example.org")
        response = self.round_trip(provider)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.ana.pk)

    def test_a_provider_whose_discovery_names_another_issuer_is_refused(self):
        # The same provider reached as "localhost": its discovery says 127.0.0.1.
        provider = self.make_provider()
        alias = self.op.issuer.replace("127.0.0.1", "localhost")
        type(provider).objects.filter(pk=provider.pk).update(issuer=alias)
        response = self.client.get(reverse("sso:start", kwargs={"provider_id": provider.public_id}))
        self.assertContains(response, "says its issuer is", status_code=400)
        self.assertEqual(len(failures("issuer")), 1)


class RefusedAnswersTests(SsoTestCase):
    def assertRefused(self, response, reason: str) -> None:
        self.assertEqual(response.status_code, 400, response.content[:500])
        self.assertContains(response, "did not work", status_code=400)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(len(failures(reason)), 1)
        self.assertFalse(Identity.objects.exists())

    def test_a_callback_whose_state_was_changed_is_refused(self):
        provider = self.make_provider()
        back = self.op.sign_in(self.begin(provider), "ana@uni.example")
        params = query(back)
        params["state"] = "forged" + params["state"]
        parts = urlsplit(back)
        response = self.client.get(urlunsplit(parts._replace(query=urlencode(params))))
        self.assertRefused(response, "state")

    def test_a_callback_used_twice_is_refused_the_second_time(self):
        provider = self.make_provider()
        back = self.op.sign_in(self.begin(provider), "ana@uni.example")
        self.assertEqual(self.client.get(back).status_code, 302)
        self.client.logout()
        response = self.client.get(back)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(failures("state")), 1)

    def test_a_callback_from_another_browser_is_refused(self):
        # Someone else's code and state, sent to Ana's browser: the state is not in her
        # session, so nobody is signed in as someone else (login CSRF).
        provider = self.make_provider()
        back = self.op.sign_in(self.begin(provider), "ana@uni.example")
        self.client.cookies.clear()
        response = self.client.get(back)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(len(failures("state")), 1)

    def test_the_code_is_refused_without_the_pkce_verifier_that_made_its_challenge(self):
        provider = self.make_provider()
        url = self.begin(provider)
        session = self.client.session
        key = next(k for k in session.keys() if k.startswith("_state_"))  # noqa: SIM118 (a session is not iterable)
        data = session[key]
        data["data"]["code_verifier"] = "x" * 64
        session[key] = data
        session.save()
        response = self.client.get(self.op.sign_in(url, "ana@uni.example"))
        self.assertRefused(response, "provider")
        self.assertContains(response, "invalid_grant", status_code=400)

    def test_a_sign_in_the_person_cancelled_at_the_provider_says_so(self):
        provider = self.make_provider()
        state = query(self.begin(provider))["state"]
        callback = reverse("sso:callback", kwargs={"provider_id": provider.public_id})
        response = self.client.get(callback, {"error": "access_denied", "state": state})
        self.assertContains(response, "refused the sign-in (access_denied)", status_code=400)
        self.assertEqual(len(failures("provider")), 1)

    def test_an_id_token_with_another_nonce_is_refused(self):
        self.assertRefused(self.round_trip(self.make_provider(quirk="wrong-nonce")), "nonce")

    def test_an_id_token_for_another_audience_is_refused(self):
        response = self.round_trip(self.make_provider(quirk="wrong-audience"))
        self.assertRefused(response, "audience")

    def test_an_id_token_from_another_issuer_is_refused(self):
        self.assertRefused(self.round_trip(self.make_provider(quirk="wrong-issuer")), "issuer")

    def test_an_expired_id_token_is_refused(self):
        self.assertRefused(self.round_trip(self.make_provider(quirk="expired")), "expired")


class WhoMaySignInTests(SsoTestCase):
    def test_an_address_without_an_account_is_refused_and_told_to_be_invited(self):
        provider = self.make_provider()
        self.op.add_user("bo@uni.example", "Bo")
        response = self.round_trip(provider, email="bo@uni.example")
        self.assertContains(response, "no Mentorpact account for bo@uni.example", status_code=400)
        [event] = failures("no_account")
        self.assertEqual(event.details["email"], "bo@uni.example")

    def test_an_address_outside_the_providers_domains_is_refused(self):
        provider = self.make_provider()
        self.op.add_user("olive@example.org", "Olive")
        response = self.round_trip(provider, email="olive@example.org")
        self.assertContains(response, "is not an address that signs in with", status_code=400)
        self.assertEqual(len(failures("domain")), 1)

    def test_a_switched_off_provider_is_not_found(self):
        provider = self.make_provider()
        type(provider).objects.filter(pk=provider.pk).update(enabled=False)
        response = self.client.get(reverse("sso:start", kwargs={"provider_id": provider.public_id}))
        self.assertEqual(response.status_code, 404)

    def test_the_sign_in_page_offers_each_enabled_provider(self):
        provider = self.make_provider()
        response = self.client.get(reverse("accounts:login"), {"next": "/programs/mine/"})
        self.assertContains(response, "Sign in with Test University")
        start = reverse("sso:start", kwargs={"provider_id": provider.public_id})
        self.assertContains(response, f'href="{start}?next=/programs/mine/"')

    def test_an_account_linked_to_another_subject_of_the_provider_is_refused(self):
        provider = self.make_provider()
        Identity.objects.create(provider=provider, subject="someone-else", user=self.ana)
        response = self.round_trip(provider)
        self.assertContains(response, "linked to another Test University", status_code=400)
        self.assertEqual(len(failures("linked_elsewhere")), 1)
