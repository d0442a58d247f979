"""Changes to a person's own account are in the audit trail (accounts.signals -> audit.apps):
which fields changed and by whom, never the values or the password."""

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mentorpact.accounts import tokens
from mentorpact.audit.models import Event
from mentorpact.test import PASSWORD, BaseTestCase


class AccountEventsTestCase(BaseTestCase):
    def events(self, action: str):
        return list(Event.objects.filter(action=action, object_id=self.theo.pk))

    def test_a_profile_change_names_the_fields_that_changed(self):
        self.sign_in(self.theo)
        data = {
            "full_name": "Theo Mentee",
            "preferred_name": "Teddy",
            "department": "",
            "time_zone": "Europe/Berlin",
        }
        self.client.post(reverse("accounts:profile"), data)
        [event] = self.events("accounts.profile_changed")
        self.assertEqual((event.actor, event.object_type), (self.theo, "user"))
        self.assertEqual(event.details, {"fields": ["preferred_name", "time_zone"]})
        self.assertNotIn("Teddy", str(event.details))
        # Saving the same again changes nothing, and records nothing.
        self.client.post(reverse("accounts:profile"), data)
        self.assertEqual(len(self.events("accounts.profile_changed")), 1)

    def test_an_email_change_is_recorded_when_the_link_is_followed(self):
        token = tokens.email_change_token(self.theo, "theo.new@example.org")
        self.client.get(reverse("accounts:email_confirm", args=[token]))
        self.assertEqual(self.events("accounts.email_changed"), [])  # GET changes nothing
        self.client.post(reverse("accounts:email_confirm", args=[token]))
        [event] = self.events("accounts.email_changed")
        self.assertEqual((event.actor, event.details), (self.theo, {"fields": ["email"]}))

    def test_a_password_change_is_recorded_without_the_password(self):
        self.sign_in(self.theo)
        self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-passphrase-42",
                "new_password2": "a-new-long-passphrase-42",
            },
        )
        [event] = self.events("accounts.password_changed")
        self.assertEqual((event.actor, event.details), (self.theo, {}))
        # A refused change (wrong current password) records nothing.
        self.client.post(
            reverse("accounts:password_change"),
            {"old_password": "wrong", "new_password1": "x1", "new_password2": "x1"},
        )
        self.assertEqual(len(self.events("accounts.password_changed")), 1)

    def test_a_password_reset_by_the_emailed_link_is_recorded(self):
        uid = urlsafe_base64_encode(force_bytes(self.theo.pk))
        token = default_token_generator.make_token(self.theo)
        url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
        form = self.client.get(url, follow=True).redirect_chain[-1][0]
        self.client.post(
            form,
            {
                "new_password1": "a-new-long-passphrase-42",
                "new_password2": "a-new-long-passphrase-42",
            },
        )
        self.theo.refresh_from_db()
        self.assertTrue(self.theo.check_password("a-new-long-passphrase-42"))
        [event] = self.events("accounts.password_reset")
        self.assertEqual(event.actor, self.theo)
