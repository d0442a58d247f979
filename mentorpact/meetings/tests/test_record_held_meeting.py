from datetime import timedelta

from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import NOW, YESTERDAY, MeetingsTestCase
from mentorpact.test import events_of, kinds


class RecordHeldMeetingTest(MeetingsTestCase):
    def test_it_records_when_how_long_how_and_what(self):
        meeting = self.held(held_minutes=45, mode="telephone", topics="Budget section")

        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.HELD)
        self.assertEqual(meeting.held_minutes, 45)
        self.assertEqual(meeting.mode, "telephone")
        self.assertEqual(meeting.mode_label, "Telephone")
        self.assertEqual(meeting.topics, "Budget section")
        self.assertNotIn("Budget", meeting.topics_token)
        self.assertEqual(meeting.recorded_by, self.theo)
        self.assertEqual(meeting.recorded_at, NOW)
        self.assertEqual(meeting.version, 2)
        self.assertEqual(kinds(events_of(meeting)), ["scheduled", "held"])

    def test_it_invites_feedback_once_committed(self):
        meeting = self.schedule(starts_at=NOW + timedelta(minutes=5))
        with self.captureOnCommitCallbacks() as callbacks:
            services.record_held_meeting(
                meeting=meeting,
                user=self.mia,
                based_on_version=meeting.version,
                starts_at=NOW - timedelta(minutes=30),
                held_minutes=30,
                mode="online",
            )

        self.assertEqual(len(callbacks), 1)

    def test_the_time_it_took_place_may_differ_from_the_plan(self):
        meeting = self.schedule()

        self.held(meeting, starts_at=YESTERDAY)

        meeting.refresh_from_db()
        self.assertEqual(meeting.starts_at, YESTERDAY)

    def test_it_refuses_a_time_still_to_come(self):
        meeting = self.schedule()

        with self.assertRaises(MeetingError) as caught:
            self.held(meeting)  # planned for tomorrow

        self.assertEqual(caught.exception.field, "date")
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.SCHEDULED)

    def test_it_refuses_a_cancelled_meeting(self):
        meeting = self.schedule()
        services.cancel_meeting(meeting=meeting, user=self.mia, based_on_version=1, reason="Ill")

        with self.assertRaises(MeetingError) as caught:
            self.held(meeting, starts_at=YESTERDAY)

        self.assertIn("was cancelled", caught.exception.message)

    def test_of_two_partners_recording_at_once_the_second_is_told_who_came_first(self):
        meeting = self.schedule()
        self.held(meeting, user=self.mia, starts_at=YESTERDAY)
        stale = Meeting.objects.get(pk=meeting.pk)
        stale.status = Meeting.Status.SCHEDULED  # as Theo's page still shows it
        stale.version = 1

        with self.assertRaises(MeetingError) as caught:
            self.held(stale, user=self.theo, starts_at=YESTERDAY, based_on_version=1)

        self.assertIn("Mia Mentor recorded it as held", caught.exception.message)
        meeting.refresh_from_db()
        self.assertEqual(meeting.recorded_by, self.mia)
        self.assertEqual(events_of(meeting).filter(action__endswith=".held").count(), 1)

    def test_it_refuses_once_the_partnership_has_concluded(self):
        meeting = self.schedule()
        self.close_partnership()

        with self.assertRaises(MeetingError) as caught:
            self.held(meeting, starts_at=YESTERDAY)

        self.assertIn("concluded", caught.exception.message)
