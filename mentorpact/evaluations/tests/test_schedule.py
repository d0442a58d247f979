"""When each round opens and closes, from a partnership's facts."""

import datetime

from django.test import SimpleTestCase

from mentorpact.evaluations import form
from mentorpact.evaluations.schedule import Facts, Occurrence, occurrences

D = datetime.date
FACTS = Facts(
    paired_on=D(2026, 8, 17),
    first_meeting_on=D(2026, 9, 8),
    starts_on=D(2026, 9, 1),
    midpoint_on=D(2026, 11, 30),
    ends_on=D(2027, 3, 1),
)
QUESTION = "questions:\n  - key: a\n    label: A\n    kind: text\n"


def rounds(schedule: str, facts: Facts = FACTS) -> list[Occurrence]:
    return occurrences(form.load(f"title: T\nanswer_within_days: 14\n{schedule}{QUESTION}"), facts)


class ScheduleTest(SimpleTestCase):
    def test_at_the_midpoint_for_its_days(self):
        self.assertEqual(
            rounds("when: midpoint\n"), [Occurrence("midpoint", D(2026, 11, 30), D(2026, 12, 13))]
        )

    def test_after_the_first_meeting_once_one_is_held(self):
        self.assertEqual(rounds("when: first_meeting\n")[0].opens_on, D(2026, 9, 8))
        none_held = Facts(D(2026, 8, 17), None, None, None, None)
        self.assertEqual(rounds("when: first_meeting\n", none_held), [])

    def test_at_closing_two_weeks_before_the_end(self):
        self.assertEqual(rounds("when: closing\n")[0].opens_on, D(2027, 2, 15))

    def test_every_n_months_until_the_end(self):
        found = rounds("when: every_months\nmonths: 2\n")
        self.assertEqual(
            [(o.key, o.opens_on) for o in found],
            [("month-2", D(2026, 11, 1)), ("month-4", D(2027, 1, 1)), ("month-6", D(2027, 3, 1))],
        )

    def test_on_dates_a_pair_paired_after_the_deadline_is_not_asked(self):
        found = rounds("when: dates\ndates: [2026-08-01, 2026-10-01]\n")
        self.assertEqual([o.key for o in found], ["2026-10-01"])

    def test_without_an_agreement_in_effect_no_midpoint(self):
        self.assertEqual(
            rounds("when: midpoint\n", Facts(D(2026, 8, 17), None, None, None, None)), []
        )
