import icalendar

from mentorpact.meetings.tests.base import MeetingsTestCase


class MeetingIcsViewTest(MeetingsTestCase):
    def test_a_partner_downloads_the_meetings_calendar_file(self):
        meeting = self.schedule()
        self.sign_in(self.mia)

        response = self.client.get(self.url("ics", meeting))

        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"],
            'attachment; filename="mentoring-meeting-2026-11-24.ics"',
        )
        event = icalendar.Calendar.from_ical(response.content).events[0]
        self.assertEqual(event.start.isoformat(), "2026-11-24T10:00:00+00:00")
        self.assertEqual(str(event.start.tzinfo), "Europe/London")

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        meeting = self.schedule()
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.client.get(self.url("ics", meeting)).status_code, status)
