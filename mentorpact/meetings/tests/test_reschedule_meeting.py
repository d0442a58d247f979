from datetime import timedelta
from typing import Any

from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import NOW, TOMORROW, YESTERDAY, MeetingsTestCase
from mentorpact.test import events_of

NEXT_WEEK = TOMORROW + timedelta(days=7)


class RescheduleMeetingTest(MeetingsTestCase):
    def move(self, meeting: Meeting, **overrides) -> Meeting:
        arguments: dict[str, Any] = {
            "meeting": meeting,
            "user": self.mia,
            "based_on_version": meeting.version,
            "starts_at": NEXT_WEEK,
            "time_zone": "America/Chicago",
            "duration_minutes": 45,
            "reason": "I am travelling that day.",
        }
        return services.reschedule_meeting(**(arguments | overrides))

    def test_it_moves_the_same_meeting_and_bumps_its_calendar_sequence(self):
        meeting = self.schedule()

        self.move(meeting)

        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.SCHEDULED)
        self.assertEqual(meeting.starts_at, NEXT_WEEK)
        self.assertEqual(meeting.time_zone, "America/Chicago")
        self.assertEqual(meeting.duration_minutes, 45)
        self.assertEqual(meeting.sequence, 1)
        self.assertEqual(meeting.original_starts_at, TOMORROW)
        self.assertTrue(meeting.was_moved)
        self.assertEqual(Meeting.objects.count(), 1)

    def test_its_history_keeps_the_earlier_time_and_the_reason_encrypted(self):
        meeting = self.schedule()

        self.move(meeting)

        event = events_of(meeting).get(action__endswith=".rescheduled")
        self.assertEqual(event.actor, self.mia)
        self.assertEqual(event.details["from_starts_at"], TOMORROW.isoformat())
        self.assertEqual(event.details["from_time_zone"], "Europe/London")
        self.assertEqual(event.details["starts_at"], NEXT_WEEK.isoformat())
        self.assertEqual(event.meeting_reason.reason, "I am travelling that day.")
        self.assertNotIn("travelling", event.meeting_reason.reason_token)
        self.assertNotIn("travelling", str(event.details))

    def test_it_tells_the_partner_once_committed(self):
        meeting = self.schedule()

        with self.captureOnCommitCallbacks() as callbacks:
            self.move(meeting)

        self.assertEqual(len(callbacks), 1)

    def test_it_needs_a_reason(self):
        meeting = self.schedule()

        with self.assertRaises(MeetingError) as caught:
            self.move(meeting, reason="   ")

        self.assertEqual(caught.exception.field, "reason")

    def test_it_refuses_a_time_in_the_past(self):
        meeting = self.schedule()

        with self.assertRaises(MeetingError) as caught:
            self.move(meeting, starts_at=YESTERDAY)

        self.assertEqual(caught.exception.field, "date")
        meeting.refresh_from_db()
        self.assertEqual(meeting.starts_at, TOMORROW)

    def test_it_refuses_a_held_meeting(self):
        meeting = self.held()

        with self.assertRaises(MeetingError) as caught:
            self.move(meeting)

        self.assertIn("already recorded as held", caught.exception.message)

    def test_a_change_based_on_an_old_version_is_refused(self):
        meeting = self.schedule()
        self.move(meeting)

        with self.assertRaises(MeetingError) as caught:
            self.move(meeting, based_on_version=1, starts_at=NOW + timedelta(days=3))

        self.assertIn("Mia Mentor changed it", caught.exception.message)
        meeting.refresh_from_db()
        self.assertEqual(meeting.starts_at, NEXT_WEEK)
