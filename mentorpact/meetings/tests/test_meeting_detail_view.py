from datetime import timedelta

from mentorpact.meetings import services
from mentorpact.meetings.tests.base import NOW, MeetingsTestCase


class MeetingDetailViewTest(MeetingsTestCase):
    def test_a_partner_sees_when_how_where_and_the_agenda(self):
        meeting = self.schedule(
            starts_at=NOW.replace(day=2, month=12, hour=15, minute=30), time_zone="America/Chicago"
        )
        self.sign_in(self.mia)

        response = self.client.get(self.url("detail", meeting))

        self.assertContains(
            response,
            "2 Dec 2026, 15:30 UTC; 2 Dec 2026, 09:30 CST (America/Chicago) where it was planned",
        )
        self.assertContains(response, "Grant proposal outline")
        self.assertContains(response, "https://meet.example.org/mia-theo")
        self.assertContains(response, self.url("ics", meeting))
        self.assertContains(response, self.url("held", meeting))

    def test_a_held_meeting_offers_feedback_to_the_mentee_and_to_agree_the_next(self):
        meeting = self.held()
        self.sign_in(self.theo)

        response = self.client.get(self.url("detail", meeting))

        self.assertContains(response, "Budget section")
        self.assertContains(response, "Give your feedback")
        self.assertContains(response, f"?after={meeting.public_id}")
        self.assertNotContains(response, self.url("cancel", meeting))

    def test_a_moved_meeting_shows_its_earlier_time_and_the_reason(self):
        meeting = self.schedule()
        services.reschedule_meeting(
            meeting=meeting,
            user=self.mia,
            based_on_version=1,
            starts_at=NOW + timedelta(days=3),
            time_zone="Europe/London",
            duration_minutes=60,
            reason="Conference travel",
        )
        self.sign_in(self.theo)

        response = self.client.get(self.url("detail", meeting))

        self.assertContains(response, "it was planned for 24 Nov 2026, 10:00 UTC")
        self.assertContains(response, "Conference travel")

    def test_a_scheduled_meeting_shows_the_contingency_plan_the_pair_agreed(self):
        self.sign_pilot_agreement()
        meeting = self.schedule()
        self.sign_in(self.theo)

        response = self.client.get(self.url("detail", meeting))

        self.assertContains(response, "What you agreed about postponing")
        self.assertContains(response, "We tell each other a day ahead")

    def test_a_partners_private_note_is_not_shown(self):
        meeting = self.schedule()
        self.note(user=self.mia, meeting=meeting, body="Mia's private thought")
        self.note(user=self.mia, meeting=meeting, body="Mia's shared thought", visibility="shared")
        self.sign_in(self.theo)

        response = self.client.get(self.url("detail", meeting))

        self.assertContains(response, "Mia&#x27;s shared thought")
        self.assertNotContains(response, "private thought")

    def test_a_meeting_of_another_partnership_is_not_found(self):
        other = self.add_mentees(1)[0]
        meeting = services.schedule_meeting(
            partnership=other,
            user=self.mia,
            starts_at=NOW + timedelta(days=1),
            time_zone="UTC",
            duration_minutes=30,
            mode="online",
        )
        self.sign_in(self.theo)

        response = self.client.get(self.url("detail", meeting))

        self.assertEqual(response.status_code, 404)

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        meeting = self.schedule()
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.client.get(self.url("detail", meeting)).status_code, status)

    def test_the_page_takes_the_same_queries_however_many_notes_and_events(self):
        meeting = self.held()
        self.sign_in(self.theo)
        self.client.get(self.url("detail", meeting))
        with self.assertNumQueries(11) as before:
            self.client.get(self.url("detail", meeting))
        for n in range(5):
            self.note(meeting=meeting, body=f"Note {n}", visibility="shared")
            self.note(user=self.mia, meeting=meeting, body=f"Mia {n}", visibility="shared")

        with self.assertNumQueries(len(before.captured_queries)):
            self.client.get(self.url("detail", meeting))
