"""When a partnership ends, its meetings still to come are cancelled: the database, the
events, the emails to both partners with files that remove each meeting from a calendar
(METHOD:CANCEL, same UID, higher SEQUENCE), and the feed that marks them cancelled."""

from datetime import timedelta

import icalendar
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact.meetings import ical, services
from mentorpact.meetings.models import Meeting, MeetingAction
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, NOW, TOMORROW, MeetingsTestCase
from mentorpact.test import events_of


def cancellations(message) -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(content)
        for _name, content, mimetype in message.attachments
        if mimetype == "text/calendar"
    ]


@override_settings(TASKS=IMMEDIATE_TASKS)
class CancelMeetingsOfEndedTest(MeetingsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign_pilot_agreement()
        self.next_week = self.schedule(starts_at=TOMORROW + timedelta(days=6))
        self.tomorrow = self.schedule(user=self.mia, starts_at=TOMORROW)
        with time_machine.travel(NOW - timedelta(days=3), tick=False):
            self.unrecorded = self.schedule(starts_at=NOW - timedelta(days=1))
        self.before = {m.pk: (ical.meeting_uid(m), m.sequence) for m in Meeting.objects.all()}
        mail.outbox.clear()

    def end(self, status: str = "ended_early") -> list[Meeting]:
        self.close_partnership(status)
        with self.captureOnCommitCallbacks(execute=True):
            return services.cancel_meetings_of_ended(partnership=self.partnership, actor=self.cora)

    def test_the_meetings_still_to_come_are_cancelled_and_the_past_left_alone(self):
        cancelled = self.end()

        self.assertEqual([m.pk for m in cancelled], [self.tomorrow.pk, self.next_week.pk])
        for meeting in (self.tomorrow, self.next_week):
            meeting.refresh_from_db()
            self.assertEqual((meeting.status, meeting.cancelled_at), ("cancelled", NOW))
            self.assertEqual(meeting.sequence, self.before[meeting.pk][1] + 1)
            event = events_of(meeting).get(action=MeetingAction.CANCELLED)
            self.assertEqual(
                (event.actor, event.details), (self.cora, {"partnership_ended": "ended_early"})
            )
        self.unrecorded.refresh_from_db()
        self.assertEqual(self.unrecorded.status, "scheduled")

    def test_both_partners_get_files_that_remove_each_meeting_from_their_calendar(self):
        self.end("concluded")

        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["mia@example.org", "theo@example.org"]
        )
        message = next(m for m in mail.outbox if m.to == ["theo@example.org"])
        self.assertEqual(message.subject, "Your mentoring meetings with Mia Mentor are cancelled")
        self.assertIn("is concluded", message.body)
        files = cancellations(message)
        self.assertEqual(len(files), 2)
        for calendar in files:
            self.assertEqual(str(calendar["METHOD"]), "CANCEL")
            (event,) = calendar.events
            pk = next(pk for pk, (uid, _) in self.before.items() if uid == str(event["UID"]))
            self.assertEqual(event["SEQUENCE"], self.before[pk][1] + 1)
            self.assertEqual(str(event["STATUS"]), "CANCELLED")
            self.assertTrue(str(event["ORGANIZER"]).startswith("mailto:"))
            attendees = sorted(str(a) for a in event["ATTENDEE"])
            self.assertEqual(attendees, ["mailto:mia@example.org", "mailto:theo@example.org"])
        self.assertNotIn(b"Grant proposal", b"".join(c.to_ical() for c in files))

    def test_the_feed_marks_them_cancelled_with_the_higher_sequence(self):
        self.sign_in(self.theo)
        response = self.client.post(reverse("meetings:create_feed"))
        url = response.content.decode().split('id="feed-url" type="url" value="')[1].split('"')[0]
        self.end()

        feed = icalendar.Calendar.from_ical(self.client.get(url).content)

        by_uid = {str(e["UID"]): e for e in feed.events}
        for meeting in (self.tomorrow, self.next_week):
            event = by_uid[ical.meeting_uid(meeting)]
            self.assertEqual(str(event["STATUS"]), "CANCELLED")
            self.assertEqual(event["SEQUENCE"], self.before[meeting.pk][1] + 1)

    def test_nothing_is_sent_when_no_meeting_is_to_come(self):
        Meeting.objects.filter(starts_at__gt=NOW).delete()

        self.assertEqual(self.end(), [])
        self.assertEqual(mail.outbox, [])

    def test_an_open_partnership_keeps_its_meetings(self):
        with self.assertRaises(MeetingError):
            services.cancel_meetings_of_ended(partnership=self.partnership, actor=self.cora)
        self.assertFalse(Meeting.objects.filter(status="cancelled").exists())
