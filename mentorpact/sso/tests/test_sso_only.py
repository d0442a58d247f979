"""An email domain set to sign in only with its provider: passwords refused, with a clear
message beside the field, for signing in (our page and the admin's) and for a reset."""

from django.core import mail
from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.sso.tests.base import SsoTestCase
from mentorpact.test import PASSWORD, make_user


class SsoOnlyTests(SsoTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.provider = self.make_provider(
            domains=["uni.example", "alumni.uni.example"], sso_only=["uni.example"]
        )
        self.una = make_user("una@uni.example", "Una Password")  # has a password

    def test_password_sign_in_is_refused_with_the_institutions_name(self):
        response = self.client.post(
            reverse("accounts:login"), {"username": "una@uni.example", "password": PASSWORD}
        )
        self.assertContains(
            response, "Addresses at uni.example sign in with Test University", status_code=200
        )
        self.assertContains(response, "Sign in with Test University")
        self.assertNotIn("_auth_user_id", self.client.session)
        event = Event.objects.get(action="accounts.sign_in_failed")
        self.assertEqual(event.details["refused"], "sso_only")
        self.assertEqual(event.object_id, self.una.pk)

    def test_the_admins_sign_in_refuses_it_too(self):
        self.una.is_staff = True
        self.una.save()
        self.assertFalse(self.client.login(username="una@uni.example", password=PASSWORD))

    def test_a_password_reset_is_refused_beside_the_field_and_sends_nothing(self):
        response = self.client.post(
            reverse("accounts:password_reset"), {"email": "una@uni.example"}
        )
        self.assertContains(
            response, "Addresses at uni.example sign in with Test University", status_code=200
        )
        self.assertContains(response, 'value="una@uni.example"')
        self.assertEqual(mail.outbox, [])

    def test_a_domain_not_set_to_sso_only_keeps_its_password(self):
        make_user("al@alumni.uni.example", "Al Alumnus")
        response = self.client.post(
            reverse("accounts:login"),
            {"username": "al@alumni.uni.example", "password": PASSWORD},
        )
        self.assertEqual(response.status_code, 302)

    def test_the_sso_only_person_signs_in_through_the_provider(self):
        self.op.add_user("una@uni.example", "Una")
        response = self.round_trip(self.provider, email="una@uni.example")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.una.pk)

    def test_switching_the_provider_off_lets_passwords_in_again(self):
        type(self.provider).objects.filter(pk=self.provider.pk).update(enabled=False)
        response = self.client.post(
            reverse("accounts:login"), {"username": "una@uni.example", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)
