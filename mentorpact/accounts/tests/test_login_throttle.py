from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.test import TransactionTestCase
from django.urls import reverse

from mentorpact.accounts import selectors, services
from mentorpact.accounts.models import Throttle, User
from mentorpact.test import PASSWORD, BaseTestCase, run_at_once

PAUSED = "sign-in is paused"
MISMATCH = "That email address and password do not match."
WRONG = "not the password"


class LoginThrottleTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.traveller = time_machine.travel(datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False)
        self.clock = self.traveller.start()
        self.addCleanup(self.traveller.stop)

    def attempt(self, password: str, email: str = "mia@example.org", client: str = "127.0.0.1"):
        self.client.logout()
        return self.client.post(
            reverse("accounts:login"),
            {"username": email, "password": password},
            REMOTE_ADDR=client,
        )

    def fail(
        self,
        times: int = settings.LOGIN_FAILURE_LIMIT,
        email: str = "mia@example.org",
        client: str = "127.0.0.1",
    ):
        return [self.attempt(WRONG, email, client) for _ in range(times)]

    def assertSignedIn(self, response) -> None:
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_failures_below_the_limit_only_say_the_password_does_not_match(self):
        for response in self.fail(settings.LOGIN_FAILURE_LIMIT - 1):
            self.assertContains(response, MISMATCH)
            self.assertNotContains(response, PAUSED)
        self.assertSignedIn(self.attempt(PASSWORD))

    def test_the_failure_that_reaches_the_limit_pauses_sign_in(self):
        last = self.fail()[-1]
        self.assertContains(
            last,
            f"sign-in is paused for {settings.LOGIN_COOLOFF_MINUTES} minutes; "
            "try again then, or reset your password.",
        )

    def test_the_right_password_is_refused_while_paused(self):
        self.fail()
        response = self.attempt(PASSWORD)
        self.assertContains(response, PAUSED)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_pause_lasts_the_cool_off_and_then_ends(self):
        self.fail()
        self.clock.shift(timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES, seconds=-30))
        self.assertContains(self.attempt(PASSWORD), "sign-in is paused for 1 minute;")

        self.clock.shift(timedelta(seconds=31))
        self.assertSignedIn(self.attempt(PASSWORD))

    def test_attempts_during_the_pause_do_not_extend_it(self):
        self.fail()
        for _ in range(3):
            self.clock.shift(timedelta(minutes=1))
            self.assertContains(self.attempt(WRONG), PAUSED)
        self.clock.shift(timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES - 3, seconds=1))
        self.assertSignedIn(self.attempt(PASSWORD))

    def test_an_attacker_elsewhere_locks_nobody_out(self):
        # Someone at another address types Mia's address with wrong passwords, over and over.
        for _ in range(3):
            self.fail(email="mia@example.org", client="203.0.113.66")
            self.clock.shift(timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES * 8))
        self.fail(email="mia@example.org", client="203.0.113.66")
        self.assertContains(self.attempt(PASSWORD, client="203.0.113.66"), PAUSED)
        # Mia, from her own address, is never refused.
        self.assertSignedIn(self.attempt(PASSWORD, client="198.51.100.7"))

    def test_each_next_pause_lasts_twice_as_long(self):
        cooloff = settings.LOGIN_COOLOFF_MINUTES
        self.assertContains(self.fail()[-1], f"paused for {cooloff} minutes")
        self.clock.shift(timedelta(minutes=cooloff, seconds=1))
        self.assertContains(self.fail()[-1], f"paused for {cooloff * 2} minutes")
        self.clock.shift(timedelta(minutes=cooloff * 2, seconds=1))
        self.assertContains(self.fail()[-1], f"paused for {cooloff * 4} minutes")

    def test_a_quiet_day_forgets_the_strikes(self):
        cooloff = settings.LOGIN_COOLOFF_MINUTES
        self.fail()
        self.clock.shift(timedelta(hours=25))
        self.assertContains(self.fail()[-1], f"paused for {cooloff} minutes")

    def test_a_password_sprayer_is_paused_across_accounts(self):
        limit = settings.CLIENT_FAILURE_LIMIT
        emails = [f"person{n}@example.org" for n in range(10)]
        tries = [emails[n % 10] for n in range(limit)]
        responses = [self.attempt(WRONG, email, "203.0.113.9") for email in tries]
        self.assertNotContains(responses[limit - 2], PAUSED)
        self.assertContains(responses[-1], PAUSED)
        # Even a right password from the sprayer's address waits; everyone else does not.
        self.assertContains(self.attempt(PASSWORD, client="203.0.113.9"), PAUSED)
        self.assertSignedIn(self.attempt(PASSWORD, client="198.51.100.7"))

    def test_signing_in_to_ones_own_account_does_not_reset_the_sprayers_count(self):
        limit = settings.CLIENT_FAILURE_LIMIT
        for n in range(limit - 1):
            self.attempt(WRONG, f"person{n % 10}@example.org", "203.0.113.9")
        self.assertSignedIn(self.attempt(PASSWORD, client="203.0.113.9"))
        self.assertContains(self.attempt(WRONG, "person1@example.org", "203.0.113.9"), PAUSED)

    def test_after_the_pause_a_single_failure_does_not_pause_again(self):
        self.fail()
        self.clock.shift(timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES, seconds=1))
        self.assertContains(self.attempt(WRONG), MISMATCH)
        self.assertSignedIn(self.attempt(PASSWORD))

    def test_failures_for_another_account_do_not_pause_this_one(self):
        self.fail(email="theo@example.org")
        self.assertContains(self.attempt(PASSWORD, "theo@example.org"), PAUSED)
        self.assertSignedIn(self.attempt(PASSWORD))

    def test_a_success_starts_the_count_again(self):
        self.fail(settings.LOGIN_FAILURE_LIMIT - 1)
        self.assertSignedIn(self.attempt(PASSWORD))
        for response in self.fail(settings.LOGIN_FAILURE_LIMIT - 1):
            self.assertNotContains(response, PAUSED)
        self.assertSignedIn(self.attempt(PASSWORD))

    def test_the_count_ignores_the_case_of_the_address(self):
        self.fail(2, email="MIA@example.org")
        self.fail(settings.LOGIN_FAILURE_LIMIT - 2, email="mia@EXAMPLE.org")
        self.assertContains(self.attempt(PASSWORD), PAUSED)

    def test_an_unknown_address_is_paused_the_same_way(self):
        # Otherwise the pause would tell an attacker which addresses have accounts.
        last = self.fail(email="nobody@example.org")[-1]
        self.assertContains(last, PAUSED)

    def test_the_admin_sign_in_honours_the_pause(self):
        User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root")
        self.fail(email="root@example.org")
        self.client.post(
            reverse("admin:login"), {"username": "root@example.org", "password": PASSWORD}
        )
        self.assertNotIn("_auth_user_id", self.client.session)


class ConcurrentLoginFailuresTestCase(TransactionTestCase):
    """Failures arriving at the same moment must all count, or an attacker could guess in
    parallel past the limit."""

    def test_concurrent_failures_all_count(self):
        limit = settings.LOGIN_FAILURE_LIMIT
        results = run_at_once(
            *[lambda: services.record_login_failure(email="mia@example.org", client="203.0.113.5")]
            * limit
        )
        self.assertEqual(results, [None] * limit)
        throttle = Throttle.objects.get(scope="sign-in", key="mia@example.org|203.0.113.5")
        self.assertEqual((throttle.failures, throttle.strikes), (limit, 1))
        self.assertGreater(
            selectors.sign_in_paused_for(email="mia@example.org", client="203.0.113.5"), 0
        )
        self.assertEqual(
            selectors.sign_in_paused_for(email="mia@example.org", client="198.51.100.7"), 0
        )
