from typing import Any

from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import NOW, MeetingsTestCase
from mentorpact.test import events_of


class CancelMeetingTest(MeetingsTestCase):
    def cancel(self, meeting: Meeting, **overrides) -> Meeting:
        arguments: dict[str, Any] = {
            "meeting": meeting,
            "user": self.theo,
            "based_on_version": meeting.version,
            "reason": "My experiment overran.",
        }
        return services.cancel_meeting(**(arguments | overrides))

    def test_it_cancels_with_a_reason_and_bumps_the_calendar_sequence(self):
        meeting = self.schedule()

        self.cancel(meeting)

        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.CANCELLED)
        self.assertEqual(meeting.cancelled_at, NOW)
        self.assertEqual(meeting.sequence, 1)
        event = events_of(meeting).get(action__endswith=".cancelled")
        self.assertEqual(
            (event.actor, event.meeting_reason.reason), (self.theo, "My experiment overran.")
        )

    def test_it_tells_the_partner_once_committed(self):
        meeting = self.schedule()

        with self.captureOnCommitCallbacks() as callbacks:
            self.cancel(meeting)

        self.assertEqual(len(callbacks), 1)

    def test_it_needs_a_reason(self):
        meeting = self.schedule()

        with self.assertRaises(MeetingError) as caught:
            self.cancel(meeting, reason="")

        self.assertEqual(caught.exception.field, "reason")
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.SCHEDULED)

    def test_a_cancelled_meeting_cannot_be_cancelled_again(self):
        meeting = self.schedule()
        self.cancel(meeting)

        with self.assertRaises(MeetingError) as caught:
            self.cancel(meeting)

        self.assertIn("was cancelled", caught.exception.message)
        self.assertEqual(events_of(meeting).filter(action__endswith=".cancelled").count(), 1)

    def test_cancelling_a_meeting_the_partner_just_recorded_as_held_is_refused(self):
        meeting = self.schedule(starts_at=NOW.replace(hour=11))
        stale = Meeting.objects.get(pk=meeting.pk)
        self.held(meeting, user=self.mia, starts_at=NOW.replace(hour=9))

        with self.assertRaises(MeetingError) as caught:
            self.cancel(stale)

        self.assertIn("Mia Mentor recorded it as held", caught.exception.message)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.HELD)

    def test_it_refuses_once_the_partnership_has_closed(self):
        meeting = self.schedule()
        self.close_partnership()

        with self.assertRaises(MeetingError):
            self.cancel(meeting)
