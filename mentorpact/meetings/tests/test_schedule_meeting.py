from datetime import timedelta

from django.core.exceptions import PermissionDenied

from mentorpact.agreement_templates.tests import set_template
from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import NOW, TOMORROW, MeetingsTestCase
from mentorpact.test import events_of


class ScheduleMeetingTest(MeetingsTestCase):
    def test_it_schedules_a_meeting_with_an_event_row(self):
        meeting = self.schedule(user=self.mia)

        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.SCHEDULED)
        self.assertEqual(meeting.starts_at, TOMORROW)
        self.assertEqual(meeting.time_zone, "Europe/London")
        self.assertEqual(meeting.mode_label, "Online")
        self.assertEqual(meeting.organiser, self.mia)
        self.assertEqual(meeting.agenda, "Grant proposal outline")
        self.assertEqual(meeting.original_starts_at, TOMORROW)
        event = events_of(meeting).get()
        self.assertEqual(event.kind, "scheduled")
        self.assertEqual(event.actor, self.mia)
        self.assertEqual(event.details["starts_at"], TOMORROW.isoformat())

    def test_the_first_meeting_can_be_scheduled_before_the_agreement_is_signed(self):
        # The seed forms make the agreement at the first meeting.
        self.assertEqual(self.partnership.status, "drafting")

        self.assertTrue(self.schedule().pk)

    def test_the_agenda_is_not_stored_as_plain_text(self):
        meeting = self.schedule()

        self.assertNotIn("Grant proposal", meeting.agenda_token)
        self.assertNotIn(
            "Grant proposal",
            Meeting.objects.filter(pk=meeting.pk).values_list("agenda_token", flat=True)[0],
        )

    def test_it_tells_the_partner_once_committed(self):
        with self.captureOnCommitCallbacks() as callbacks:
            self.schedule(user=self.theo)

        self.assertEqual(len(callbacks), 1)

    def test_it_refuses_a_time_in_the_past_beside_the_date(self):
        with self.assertRaises(MeetingError) as caught:
            self.schedule(starts_at=NOW - timedelta(minutes=1))

        self.assertEqual(caught.exception.field, "date")
        self.assertIn("Choose a time in the future", caught.exception.message)
        self.assertFalse(Meeting.objects.exists())

    def test_it_refuses_now(self):
        with self.assertRaises(MeetingError):
            self.schedule(starts_at=NOW)

    def test_it_refuses_a_mode_the_agreement_does_not_offer(self):
        with self.assertRaises(MeetingError) as caught:
            self.schedule(mode="carrier_pigeon")

        self.assertEqual(caught.exception.field, "mode")

    def test_it_refuses_an_unknown_time_zone(self):
        with self.assertRaises(MeetingError) as caught:
            self.schedule(time_zone="Mars/Olympus_Mons")

        self.assertEqual(caught.exception.field, "time_zone")

    def test_it_refuses_a_length_of_no_minutes(self):
        with self.assertRaises(MeetingError) as caught:
            self.schedule(duration_minutes=0)

        self.assertEqual(caught.exception.field, "duration_minutes")

    def test_it_refuses_an_outsider_and_the_coordinator(self):
        for person in (self.olive, self.cora):
            with self.subTest(person=person), self.assertRaises(PermissionDenied):
                self.schedule(user=person)

    def test_it_refuses_once_the_partnership_has_closed(self):
        self.close_partnership("ended_early")

        with self.assertRaises(MeetingError) as caught:
            self.schedule()

        self.assertIn("ended early: its record can be read", caught.exception.message)
        self.assertFalse(Meeting.objects.exists())

    def test_an_agreement_without_a_modes_field_offers_the_default_modes(self):
        set_template(self.program, None)

        meeting = self.schedule(mode="video")

        self.assertEqual(meeting.mode_label, "Video call")


class ScheduleMeetingEncryptionTest(MeetingsTestCase):
    def test_a_blank_agenda_is_stored_blank(self):
        meeting = services.schedule_meeting(
            partnership=self.partnership,
            user=self.theo,
            starts_at=TOMORROW,
            time_zone="UTC",
            duration_minutes=30,
            mode="online",
        )

        self.assertEqual(meeting.agenda_token, "")
        self.assertEqual(meeting.agenda, "")
