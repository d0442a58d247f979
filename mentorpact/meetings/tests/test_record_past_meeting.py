from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied

from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import NOW, YESTERDAY, MeetingsTestCase
from mentorpact.test import events_of


class RecordPastMeetingTest(MeetingsTestCase):
    def record(self, **overrides) -> Meeting:
        arguments: dict[str, Any] = {
            "partnership": self.partnership,
            "user": self.theo,
            "starts_at": YESTERDAY,
            "time_zone": "America/Chicago",
            "held_minutes": 20,
            "mode": "telephone",
            "topics": "Quick call about the deadline",
        }
        return services.record_past_meeting(**(arguments | overrides))

    def test_it_records_a_held_meeting_in_one_step(self):
        meeting = self.record()

        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.HELD)
        self.assertTrue(meeting.off_platform)
        self.assertEqual(meeting.held_minutes, 20)
        self.assertEqual(meeting.duration_minutes, 20)
        self.assertEqual(meeting.time_zone, "America/Chicago")
        self.assertEqual(meeting.topics, "Quick call about the deadline")
        event = events_of(meeting).get()
        self.assertEqual((event.kind, event.details["off_platform"]), ("held", True))

    def test_it_invites_feedback_once_committed(self):
        with self.captureOnCommitCallbacks() as callbacks:
            self.record()

        self.assertEqual(len(callbacks), 1)

    def test_it_refuses_a_meeting_still_to_come(self):
        with self.assertRaises(MeetingError) as caught:
            self.record(starts_at=NOW + timedelta(hours=1))

        self.assertEqual(caught.exception.field, "date")
        self.assertFalse(Meeting.objects.exists())

    def test_it_refuses_the_coordinator(self):
        with self.assertRaises(PermissionDenied):
            self.record(user=self.cora)

    def test_it_refuses_once_the_partnership_has_closed(self):
        self.close_partnership()

        with self.assertRaises(MeetingError):
            self.record()
