from django.urls import reverse

from mentorpact.test import PASSWORD, BaseTestCase


class SignInTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("accounts:login")

    def sign_in_with(self, email: str, password: str = PASSWORD, **extra):
        return self.client.post(self.url, {"username": email, "password": password, **extra})

    def signed_in_user_id(self) -> int | None:
        value = self.client.session.get("_auth_user_id")
        return int(value) if value else None

    def test_the_page_has_labelled_fields_and_a_reset_link(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<label for="id_username">Email address')
        self.assertContains(response, '<label for="id_password">Password')
        self.assertContains(response, reverse("accounts:password_reset"))

    def test_it_signs_in_with_email_and_password(self):
        response = self.sign_in_with("mia@example.org")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.signed_in_user_id(), self.mia.pk)

    def test_it_ignores_the_case_of_the_email_address(self):
        response = self.sign_in_with("MIA@Example.ORG")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.signed_in_user_id(), self.mia.pk)

    def test_it_ignores_spaces_around_the_email_address(self):
        self.sign_in_with("  mia@example.org ")
        self.assertEqual(self.signed_in_user_id(), self.mia.pk)

    def test_it_refuses_a_wrong_password_and_keeps_the_typed_email(self):
        response = self.sign_in_with("mia@example.org", "not-her-password")
        self.assertContains(response, "That email address and password do not match.")
        self.assertContains(response, 'value="mia@example.org"')
        self.assertIsNone(self.signed_in_user_id())

    def test_it_answers_an_unknown_address_with_the_same_message(self):
        unknown = self.sign_in_with("nobody@example.org", "whatever")
        self.assertContains(unknown, "That email address and password do not match.")
        self.assertIsNone(self.signed_in_user_id())

    def test_it_says_beside_the_field_when_the_address_is_not_an_email(self):
        response = self.sign_in_with("mia")
        self.assertContains(response, 'id="id_username_error"')
        self.assertContains(response, 'value="mia"')

    def test_it_refuses_a_switched_off_account(self):
        self.mia.is_active = False
        self.mia.save()
        response = self.sign_in_with("mia@example.org")
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(self.signed_in_user_id())

    def test_it_follows_a_next_address_on_this_site(self):
        mine = reverse("partnerships:mine")
        response = self.sign_in_with("mia@example.org", next=mine)
        self.assertRedirects(response, mine, fetch_redirect_response=False)

    def test_it_ignores_a_next_address_on_another_site(self):
        response = self.sign_in_with("mia@example.org", next="https://evil.example/")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_it_sends_someone_already_signed_in_home(self):
        self.sign_in(self.mia)
        response = self.client.get(self.url)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)


class SwitchedOffAccountTestCase(BaseTestCase):
    def test_it_tells_a_switched_off_account_why_it_cannot_sign_in(self):
        self.theo.is_active = False
        self.theo.save()
        response = self.client.post(
            "/accounts/sign-in/", {"username": "theo@example.org", "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This account is switched off")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_gives_the_plain_message_for_a_wrong_password_on_a_switched_off_account(self):
        self.theo.is_active = False
        self.theo.save()
        response = self.client.post(
            "/accounts/sign-in/", {"username": "theo@example.org", "password": "wrong-one"}
        )
        self.assertContains(response, "do not match")
        self.assertNotContains(response, "switched off")


class BrandTestCase(BaseTestCase):
    def test_the_sign_in_page_is_branded_mentorpact_not_the_host_name(self):
        response = self.client.get("/accounts/sign-in/")
        self.assertContains(response, "<title>Sign in · Mentorpact</title>", html=False)
        self.assertNotContains(response, "testserver")
