"""Two coordinators pair a mentor's last free place at once: one wins (issue 9, item 4).
Threads need a real database: PostgreSQL, or SQLite with SQLITE_TEST_PATH (run_at_once skips
on in-memory SQLite)."""

from django.test import TransactionTestCase

from mentorpact.pairing import services
from mentorpact.pairing.services import PairingError
from mentorpact.pairing.tests import enrol, set_capacity
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment
from mentorpact.test import PersonasMixin, make_user, run_at_once


class PairRaceTestCase(PersonasMixin, TransactionTestCase):
    def setUp(self) -> None:
        super().setUp()
        set_capacity(self.program, self.mia, 2)  # one place left: Theo has the other
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", Enrolment.Role.MENTEE)
        self.noah = enrol(self.program, "noah@example.org", "Noah Newcomer", Enrolment.Role.MENTEE)
        self.cody = make_user("cody@example.org", "Cody Coordinator")
        Enrolment.objects.create(
            program=self.program, user=self.cody, role=Enrolment.Role.COORDINATOR
        )

    def pair(self, mentee, actor):
        return lambda: services.pair(
            program=self.program, mentor=self.mia, mentee=mentee, actor=actor, notify=False
        )

    def test_two_coordinators_taking_the_last_place_at_once_one_wins(self):
        results = run_at_once(self.pair(self.nina, self.cora), self.pair(self.noah, self.cody))
        won = [r for r in results if isinstance(r, Partnership)]
        lost = [r for r in results if isinstance(r, PairingError)]
        self.assertEqual((len(won), len(lost)), (1, 1), results)
        self.assertIn("already mentors 2 of the 2 mentees", lost[0].message_dict["mentor"][0])
        self.assertEqual(
            Partnership.objects.filter(
                mentor=self.mia, status__in=Partnership.OPEN_STATUSES
            ).count(),
            2,
        )

    def test_two_coordinators_pairing_one_mentee_at_once_make_one_partnership(self):
        max_ = enrol(self.program, "max@example.org", "Max Mentor", Enrolment.Role.MENTOR)
        results = run_at_once(
            self.pair(self.nina, self.cora),
            lambda: services.pair(
                program=self.program, mentor=max_, mentee=self.nina, actor=self.cody, notify=False
            ),
        )
        self.assertEqual(sum(isinstance(r, Partnership) for r in results), 1, results)
        self.assertEqual(sum(isinstance(r, PairingError) for r in results), 1, results)
        self.assertEqual(Partnership.objects.filter(mentee=self.nina).count(), 1)
