import time_machine
from django.test import TestCase

from mentorpact.accounts import selectors, services
from mentorpact.accounts.limits import Limit
from mentorpact.accounts.models import Throttle

CHECKS = Limit("checks", 3, 10)  # three uses, then ten minutes' pause


class TakeAttemptTestCase(TestCase):
    def take(self, key: str = "203.0.113.5") -> int:
        return services.take_attempt(limits={key: CHECKS})

    def test_a_key_gets_its_uses_then_waits(self):
        self.assertEqual([self.take() for _ in range(3)], [0, 0, 0])
        self.assertEqual(self.take(), 10)
        self.assertEqual(selectors.minutes_left(limit=CHECKS, key="203.0.113.5"), 10)

    def test_another_key_is_not_paused_by_this_one(self):
        for _ in range(4):
            self.take()
        self.assertEqual(self.take("198.51.100.7"), 0)

    def test_waiting_counts_nothing_more(self):
        for _ in range(10):
            self.take()
        throttle = Throttle.objects.get(scope="checks", key="203.0.113.5")
        self.assertEqual((throttle.failures, throttle.strikes), (3, 1))

    def test_after_the_pause_it_may_go_on_and_the_next_pause_is_longer(self):
        with time_machine.travel("2026-12-02 10:00", tick=False) as clock:
            for _ in range(3):
                self.take()
            clock.shift(11 * 60)
            self.assertEqual([self.take() for _ in range(3)], [0, 0, 0])
            self.assertEqual(self.take(), 20)

    def test_with_two_keys_either_pause_stops_both_and_counts_neither(self):
        address = Limit("address", 1, 60)
        first = {"mia@example.org": address, "203.0.113.5": CHECKS}
        self.assertEqual(services.take_attempt(limits=first), 0)
        self.assertEqual(services.take_attempt(limits=first), 60)
        self.assertEqual(Throttle.objects.get(scope="checks", key="203.0.113.5").failures, 1)
