import re
from urllib.parse import urlsplit

import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact.accounts import tokens
from mentorpact.test import BaseTestCase

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE_TASKS)
class EmailChangeTestCase(BaseTestCase):
    def ask(self, email="theo.new@example.org", password="mentorpact-test"):
        self.sign_in(self.theo)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                reverse("accounts:email_change"), {"email": email, "password": password}
            )

    def link(self) -> str:
        [message] = [m for m in mail.outbox if m.to == ["theo.new@example.org"]]
        found = re.search(r"http://\S+/accounts/email/\S+/", str(message.body))
        assert found is not None
        return found.group(0)

    def test_the_address_changes_only_once_the_link_sent_to_it_is_followed(self):
        response = self.ask()
        self.assertRedirects(response, reverse("accounts:profile"))
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.email, "theo@example.org")
        path = urlsplit(self.link()).path
        page = self.client.get(path)
        self.assertContains(page, "Use theo.new@example.org")
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.email, "theo@example.org")  # GET changes nothing
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(path)
        self.assertRedirects(response, reverse("accounts:profile"))
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.email, "theo.new@example.org")
        notice = [m for m in mail.outbox if m.to == ["theo@example.org"]]
        self.assertEqual(len(notice), 1)
        # Single use: the link names the old address, which is gone now.
        self.assertContains(self.client.get(path), "already used")

    def test_it_needs_the_current_password(self):
        response = self.ask(password="wrong")
        self.assertContains(response, "That is not your current password.", status_code=400)
        self.assertContains(response, 'value="theo.new@example.org"', status_code=400)
        self.assertEqual(mail.outbox, [])

    def test_an_address_another_account_uses_is_refused_beside_the_field(self):
        response = self.ask(email="MIA@example.org")
        self.assertContains(response, "Another account uses that email address.", status_code=400)
        self.assertEqual(mail.outbox, [])

    def test_an_expired_or_tampered_link_says_so_plainly(self):
        token = tokens.email_change_token(self.theo, "theo.new@example.org")
        with time_machine.travel("2099-01-01"):
            response = self.client.get(reverse("accounts:email_confirm", args=[token]))
        self.assertContains(response, "This link has expired.")
        response = self.client.post(reverse("accounts:email_confirm", args=[token + "x"]))
        self.assertContains(response, "This link is not valid.")
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.email, "theo@example.org")
