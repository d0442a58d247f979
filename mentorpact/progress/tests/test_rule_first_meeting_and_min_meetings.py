"""Two rules that act: `first_meeting_within_weeks` (RED: "schedule your initial meeting ...
within 4 weeks of the kick-off meeting") and `min_meetings` (the pilot: "at least 3 meetings").
Each is a due item on the partnership page, the next step in the coordinator's row, and a
reminder (the first meeting's own, the minimum's in the end-approaching email)."""

from datetime import UTC, date, datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorpact.agreement_templates.tests import set_template
from mentorpact.progress import reminders, selectors
from mentorpact.progress.models import Reminder
from mentorpact.progress.tests.base import ProgressTestCase, hold_meetings, install_template

# The personas' program kicks off on 15 January 2027; the pair was matched before.
FIRST_MEETING_BY = date(2027, 2, 12)


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


class FirstMeetingTest(ProgressTestCase):
    slug = "red-peer-mentoring"

    def due(self, role="mentee"):
        viewer = self.theo if role == "mentee" else self.mia
        progress = selectors.partnership_progress(self.partnership, role=role, viewer=viewer)
        return {item.kind: item for item in progress.due()}, progress

    def test_it_is_due_four_weeks_after_the_kick_off_until_a_meeting_is_held(self):
        items, progress = self.due()
        first = items["first_meeting"]
        self.assertEqual(first.due_on, FIRST_MEETING_BY)
        self.assertFalse(first.overdue)
        self.assertIn("within 4 weeks: by 12 February 2027", first.detail)
        self.assertEqual(selectors.health_of(progress).next_due.kind, "first_meeting")

        with time_machine.travel(at(2027, 2, 13), tick=False):
            self.assertTrue(self.due()[0]["first_meeting"].overdue)
            hold_meetings(self.partnership, 1)
            self.assertNotIn("first_meeting", self.due()[0])

    def test_a_pair_made_after_the_kick_off_counts_from_its_pairing(self):
        self.partnership.__class__.objects.filter(pk=self.partnership.pk).update(
            created_at=at(2027, 3, 1)
        )
        self.partnership.refresh_from_db()
        self.assertEqual(self.due()[0]["first_meeting"].due_on, date(2027, 3, 29))

    def test_a_form_without_the_rule_has_no_such_item(self):
        set_template(self.program, install_template("aspe-partnership"))
        self.assertNotIn("first_meeting", self.due()[0])

    def test_both_partners_are_reminded_a_week_before_and_a_meeting_cancels_it(self):
        with time_machine.travel(at(2027, 2, 4), tick=False):
            reminders.plan_reminders()
        self.assertFalse(Reminder.objects.filter(kind="first_meeting").exists())
        with time_machine.travel(at(2027, 2, 5), tick=False):
            reminders.plan_reminders()
        planned = Reminder.objects.filter(kind="first_meeting")
        self.assertEqual(
            sorted(planned.values_list("recipient__email", flat=True)),
            ["mia@example.org", "theo@example.org"],
        )
        due = reminders.due_now(self.partnership, at(2027, 2, 5))
        subject = next(d.subject for d in due if d.kind == "first_meeting")
        self.assertEqual(subject, "Your first mentoring meeting is due by 12 February 2027")

        hold_meetings(self.partnership, 1, last_contact=at(2027, 2, 5))
        with time_machine.travel(at(2027, 2, 6), tick=False):
            counts = reminders.send_due_reminders(worker="test")
        self.assertEqual(counts["cancelled"], 2)
        self.assertEqual(planned.filter(cancelled_at__isnull=False).count(), 2)

    def test_the_planner_s_pass_costs_the_same_for_one_pair_as_for_five(self):
        def queries_of_a_pass(now) -> int:
            with CaptureQueriesContext(connection) as queries:
                reminders.plan_reminders(now=now)
            return len(queries)

        # Nothing due yet: one indexed read of the due rows, however many pairs there are.
        self.assertEqual(queries_of_a_pass(at(2027, 2, 4)), 1)
        one = queries_of_a_pass(at(2027, 2, 5))
        self.assertEqual(Reminder.objects.filter(kind="first_meeting").count(), 2)
        self.add_mentees(4)  # four more pairs, their first meeting due on the same day
        self.assertEqual(queries_of_a_pass(at(2027, 2, 5)), one)
        self.assertEqual(Reminder.objects.filter(kind="first_meeting").count(), 10)
        self.assertEqual(queries_of_a_pass(at(2027, 2, 5)), 1)


class MinimumMeetingsTest(ProgressTestCase):
    slug = "university-pilot"

    def items(self):
        progress = selectors.partnership_progress(self.partnership, role="mentee", viewer=self.theo)
        return {item.kind: item for item in progress.due()}

    def test_it_is_due_until_the_pair_has_held_three(self):
        self.sign()
        hold_meetings(self.partnership, 1)
        item = self.items()["min_meetings"]
        self.assertEqual(item.title, "At least 3 meetings")
        self.assertEqual(item.detail, "1 of 3 held.")
        self.assertFalse(item.overdue)

        hold_meetings(self.partnership, 3)
        self.assertNotIn("min_meetings", self.items())

    def test_with_an_end_date_it_falls_due_then_and_the_end_email_says_how_many(self):
        # ASPE (6 months from 1 September 2026: ends 1 March 2027), the program asking for 2.
        set_template(self.program, install_template("aspe-partnership"))
        self.program.rules = {"min_meetings": 2}
        self.program.save(update_fields=["rules"])
        self.sign("aspe-partnership")
        hold_meetings(self.partnership, 1, last_contact=at(2026, 11, 20))

        item = self.items()["min_meetings"]
        self.assertEqual(item.due_on, date(2027, 3, 1))
        self.assertEqual(item.detail, "1 of 2 held before the agreement ends on 1 March 2027.")
        due = reminders.due_now(self.partnership, at(2027, 2, 15))
        ending = next(d for d in due if d.kind == "end_approaching")
        self.assertIn("The program asks for at least 2 meetings and 1 are recorded", ending.message)
        with time_machine.travel(at(2027, 3, 2), tick=False):
            self.assertTrue(self.items()["min_meetings"].overdue)
