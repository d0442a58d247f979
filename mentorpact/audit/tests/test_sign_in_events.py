from django.test import override_settings
from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.test import PASSWORD, BaseTestCase


class SignInEventsTest(BaseTestCase):
    def sign_in_with(self, email: str, password: str = PASSWORD):
        return self.client.post(
            reverse("accounts:login"),
            {"username": email, "password": password},
            REMOTE_ADDR="192.0.2.44",
        )

    def test_a_sign_in_is_recorded_with_who_and_where(self):
        self.sign_in_with("mia@example.org")

        event = Event.objects.get(action="accounts.signed_in")
        self.assertEqual((event.actor, event.ip), (self.mia, "192.0.2.44"))
        self.assertEqual((event.object_type, event.object_id), ("user", self.mia.pk))

    def test_a_failure_is_recorded_with_the_address_typed_but_never_the_password(self):
        self.sign_in_with(" MIA@example.org ", "wrong-guess-123")

        event = Event.objects.get(action="accounts.sign_in_failed")
        self.assertIsNone(event.actor)
        self.assertEqual((event.object_type, event.object_id), ("user", self.mia.pk))
        self.assertEqual(event.ip, "192.0.2.44")
        self.assertEqual(event.details, {"email": "mia@example.org", "locked": False})
        self.assertNotIn("wrong-guess-123", str(event.details))

    def test_an_unknown_address_is_recorded_without_an_object(self):
        self.sign_in_with("nobody@example.org", "x")

        event = Event.objects.get(action="accounts.sign_in_failed")
        self.assertEqual((event.object_type, event.object_id), ("", None))

    @override_settings(LOGIN_FAILURE_LIMIT=2)
    def test_the_failure_that_locks_the_address_says_so(self):
        self.sign_in_with("mia@example.org", "wrong-1")
        self.sign_in_with("mia@example.org", "wrong-2")
        self.sign_in_with("mia@example.org")  # refused during the cool-off

        failures = Event.objects.filter(action="accounts.sign_in_failed").order_by("id")
        self.assertEqual([e.details["locked"] for e in failures], [False, True, True])
        self.assertFalse(Event.objects.filter(action="accounts.signed_in").exists())
