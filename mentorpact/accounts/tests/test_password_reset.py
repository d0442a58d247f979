import re

from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact.test import PASSWORD, BaseTestCase

NEW_PASSWORD = "a fresh and long passphrase"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE_TASKS)
class PasswordResetTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("accounts:password_reset")

    def ask_for_a_link(self, email: str):
        return self.client.post(self.url, {"email": email})

    def link_in(self, message) -> str:
        match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body)
        assert match is not None, message.body
        return match.group(1)

    def choose_new_password(self, link: str, password: str = NEW_PASSWORD, again: str = ""):
        # The emailed link redirects to a URL without the token (kept in the session), so the
        # token does not leak through the Referer header.
        form_url = self.client.get(link)["Location"]
        return self.client.post(
            form_url, {"new_password1": password, "new_password2": again or password}
        )

    def test_the_page_has_a_labelled_email_field(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<label for="id_email">Email')

    def test_it_emails_a_link_that_sets_a_new_password(self):
        response = self.ask_for_a_link("mia@example.org")
        self.assertRedirects(response, reverse("accounts:password_reset_done"))

        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["mia@example.org"])
        self.assertEqual(message.subject, "Reset your Mentorpact password")
        self.assertIn("Hello Mia Mentor", message.body)

        link = self.link_in(message)
        form_page = self.client.get(self.client.get(link).url)
        self.assertContains(form_page, "Choose a new password")
        self.assertContains(form_page, 'name="new_password1"')

        response = self.choose_new_password(link)
        self.assertRedirects(response, reverse("accounts:password_reset_complete"))

        self.mia.refresh_from_db()
        self.assertTrue(self.mia.check_password(NEW_PASSWORD))
        signed_in = self.sign_in_with(NEW_PASSWORD)
        self.assertRedirects(signed_in, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.mia.pk)

    def test_the_old_password_stops_working(self):
        self.choose_new_password(self.link_in(self.emailed_to("mia@example.org")))
        self.mia.refresh_from_db()
        self.assertFalse(self.mia.check_password(PASSWORD))

    def test_the_link_works_only_once(self):
        link = self.link_in(self.emailed_to("mia@example.org"))
        self.choose_new_password(link)
        response = self.client.get(link)
        self.assertContains(response, "This link has expired or was already used.")

    def test_a_forged_link_is_refused(self):
        link = reverse(
            "accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "forged-token"}
        )
        response = self.client.get(link)
        self.assertContains(response, "This link has expired or was already used.")

    def test_it_matches_the_address_whatever_its_case(self):
        self.ask_for_a_link("MIA@Example.org")
        self.assertEqual([m.to for m in mail.outbox], [["mia@example.org"]])

    def test_it_does_not_reveal_whether_an_account_exists(self):
        known = self.ask_for_a_link("mia@example.org")
        unknown = self.ask_for_a_link("nobody@example.org")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(known.status_code, unknown.status_code)
        self.assertEqual(known.url, unknown.url)
        page = self.client.get(unknown.url)
        self.assertContains(page, "If an account uses that address")

    def test_mismatched_new_passwords_are_refused_beside_the_field(self):
        link = self.link_in(self.emailed_to("mia@example.org"))
        response = self.choose_new_password(link, NEW_PASSWORD, again="something else entirely")
        self.assertContains(response, 'id="id_new_password2_error"')
        self.mia.refresh_from_db()
        self.assertTrue(self.mia.check_password(PASSWORD))

    def test_a_new_password_ends_a_sign_in_pause(self):
        # The pause message tells people to reset their password: that must actually help.
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            self.sign_in_with("wrong password")
        self.assertContains(self.sign_in_with(PASSWORD), "sign-in is paused")

        self.choose_new_password(self.link_in(self.emailed_to("mia@example.org")))

        response = self.sign_in_with(NEW_PASSWORD)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def sign_in_with(self, password: str):
        return self.client.post(
            reverse("accounts:login"), {"username": "mia@example.org", "password": password}
        )

    def emailed_to(self, email: str):
        self.ask_for_a_link(email)
        return mail.outbox[-1]

    def test_an_account_without_a_password_gets_a_link_too(self):
        self.theo.set_unusable_password()
        self.theo.save()
        self.ask_for_a_link("Theo@example.org")
        self.assertEqual(len(mail.outbox), 1)
        response = self.choose_new_password(self.link_in(mail.outbox[0]))
        self.assertRedirects(response, reverse("accounts:password_reset_complete"))
        self.theo.refresh_from_db()
        self.assertTrue(self.theo.check_password(NEW_PASSWORD))

    def test_a_switched_off_account_gets_no_link(self):
        self.theo.is_active = False
        self.theo.save()
        self.ask_for_a_link("theo@example.org")
        self.assertEqual(mail.outbox, [])

    def test_the_link_points_at_the_configured_site_not_the_requests_host(self):
        self.ask_for_a_link("mia@example.org")
        self.assertIn(settings.SITE_ROOT + "/accounts/reset/", mail.outbox[0].body)
        self.assertNotIn("testserver", mail.outbox[0].body)

    def test_an_address_gets_a_few_links_then_a_pause_that_reveals_nothing(self):
        for _ in range(settings.RESET_LIMIT + 3):
            response = self.ask_for_a_link("mia@example.org")
            self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), settings.RESET_LIMIT)

    def test_a_client_asking_for_many_addresses_is_paused(self):
        for n in range(settings.RESET_CLIENT_LIMIT):
            self.ask_for_a_link(f"person{n}@example.org")
        self.ask_for_a_link("mia@example.org")
        self.assertEqual(mail.outbox, [])
        self.client.post(self.url, {"email": "mia@example.org"}, REMOTE_ADDR="198.51.100.7")
        self.assertEqual(len(mail.outbox), 1)

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_the_email_is_sent_by_the_worker_not_the_request(self):
        self.ask_for_a_link("mia@example.org")
        self.assertEqual(mail.outbox, [])
