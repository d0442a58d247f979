"""The calendar files, parsed back with icalendar as a calendar program would read them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from mentorpact.meetings import ical, services
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.tests.base import MeetingsTestCase

CHICAGO = ZoneInfo("America/Chicago")
# 09:30 in Chicago on Wednesday 2 December 2026 (CST, UTC-6) is 15:30 UTC.
DEC_2_0930_CHICAGO = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


class MeetingIcsTest(MeetingsTestCase):
    def chicago_meeting(self) -> Meeting:
        return self.schedule(starts_at=DEC_2_0930_CHICAGO, time_zone="America/Chicago")

    def test_a_meeting_at_0930_in_chicago_starts_at_0930_chicago_time(self):
        event = parse(ical.meeting_ics(self.chicago_meeting())).events[0]

        self.assertEqual(event.start, datetime(2026, 12, 2, 9, 30, tzinfo=CHICAGO))
        self.assertEqual(str(event.start.tzinfo), "America/Chicago")
        self.assertEqual(event.end - event.start, timedelta(minutes=60))
        self.assertEqual(event.start.astimezone(UTC), DEC_2_0930_CHICAGO)

    def test_the_file_carries_the_time_zone_definition(self):
        calendar = parse(ical.meeting_ics(self.chicago_meeting()))

        zones = [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
        self.assertEqual(zones, ["America/Chicago"])
        self.assertIn(
            b"DTSTART;TZID=America/Chicago:20261202T093000",
            ical.meeting_ics(self.chicago_meeting()),
        )

    def test_it_describes_when_how_and_where_but_never_the_agenda(self):
        meeting = self.chicago_meeting()

        data = ical.meeting_ics(meeting)
        event = parse(data).events[0]

        self.assertEqual(str(event["SUMMARY"]), "Mentoring: Mia Mentor & Theo Mentee")
        self.assertEqual(str(event["LOCATION"]), "https://meet.example.org/mia-theo")
        self.assertEqual(str(event["STATUS"]), "CONFIRMED")
        self.assertIn(str(meeting.public_id), str(event["URL"]))
        self.assertNotIn(b"Grant proposal", data)

    def test_the_uid_stays_and_the_sequence_rises_when_the_meeting_moves(self):
        meeting = self.chicago_meeting()
        before = parse(ical.meeting_ics(meeting)).events[0]

        services.reschedule_meeting(
            meeting=meeting,
            user=self.mia,
            based_on_version=meeting.version,
            starts_at=DEC_2_0930_CHICAGO + timedelta(days=1),
            time_zone="America/Chicago",
            duration_minutes=30,
            reason="Clash",
        )
        after = parse(ical.meeting_ics(Meeting.objects.get(pk=meeting.pk))).events[0]

        self.assertEqual(after["UID"], before["UID"])
        self.assertEqual((before["SEQUENCE"], after["SEQUENCE"]), (0, 1))
        self.assertEqual(after.start, datetime(2026, 12, 3, 9, 30, tzinfo=CHICAGO))
        self.assertEqual(after.end - after.start, timedelta(minutes=30))

    def test_a_cancelled_meeting_is_marked_cancelled(self):
        meeting = self.chicago_meeting()
        services.cancel_meeting(meeting=meeting, user=self.theo, based_on_version=1, reason="Ill")

        event = parse(ical.meeting_ics(Meeting.objects.get(pk=meeting.pk))).events[0]

        self.assertEqual(str(event["STATUS"]), "CANCELLED")
        self.assertEqual(event["SEQUENCE"], 1)

    def test_a_cancelled_meetings_file_is_a_cancel_message_to_both_partners(self):
        meeting = self.chicago_meeting()
        standing = parse(ical.meeting_ics(meeting))
        services.cancel_meeting(meeting=meeting, user=self.theo, based_on_version=1, reason="Ill")

        calendar = parse(ical.meeting_ics(Meeting.objects.get(pk=meeting.pk)))

        self.assertEqual(str(standing["METHOD"]), "PUBLISH")
        self.assertEqual(str(standing.events[0]["ORGANIZER"]), "mailto:theo@example.org")
        self.assertNotIn("ATTENDEE", standing.events[0])
        self.assertEqual(str(calendar["METHOD"]), "CANCEL")
        event = calendar.events[0]
        self.assertEqual(event["UID"], standing.events[0]["UID"])
        self.assertEqual(str(event["ORGANIZER"]), "mailto:theo@example.org")
        self.assertEqual(event["ORGANIZER"].params["CN"], "Theo Mentee")
        self.assertEqual(
            sorted(str(a) for a in event["ATTENDEE"]),
            ["mailto:mia@example.org", "mailto:theo@example.org"],
        )

    def test_a_held_meeting_lasts_as_long_as_it_really_took(self):
        meeting = self.held(held_minutes=35)

        event = parse(ical.meeting_ics(meeting)).events[0]

        self.assertEqual(event.end - event.start, timedelta(minutes=35))

    def test_a_feed_holds_each_meeting_once_in_its_own_zone(self):
        london = self.schedule()
        chicago = self.chicago_meeting()

        calendar = parse(ical.feed_ics(self.theo, [london, chicago]))

        starts = {str(e["UID"]): e.start for e in calendar.events}
        self.assertEqual(starts[ical.meeting_uid(london)].tzinfo, ZoneInfo("Europe/London"))
        self.assertEqual(starts[ical.meeting_uid(chicago)].tzinfo, CHICAGO)
        self.assertEqual(
            sorted(str(z["TZID"]) for z in calendar.walk("VTIMEZONE")),
            ["America/Chicago", "Europe/London"],
        )
        self.assertEqual(str(calendar["X-WR-CALNAME"]), "Mentoring meetings of Theo Mentee")
