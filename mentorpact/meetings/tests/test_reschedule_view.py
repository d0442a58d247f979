from django.core import mail
from django.test import override_settings

from mentorpact.meetings.models import Meeting
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, TOMORROW, MeetingsTestCase
from mentorpact.test import events_of


@override_settings(TASKS=IMMEDIATE_TASKS)
class RescheduleViewTest(MeetingsTestCase):
    def setUp(self):
        super().setUp()
        self.meeting = self.schedule(user=self.theo)

    def form(self, **overrides):
        data = {
            "version": "1",
            "date": "2026-12-01",
            "time": "14:00",
            "time_zone": "Europe/London",
            "duration_minutes": "30",
            "place": "Library café",
            "reason": "A grant panel moved onto our slot.",
        }
        return data | overrides

    def post(self, data=None, **kwargs):
        return self.client.post(self.url("reschedule", self.meeting), data or self.form(), **kwargs)

    def test_postponing_shows_the_contingency_plan_the_pair_agreed(self):
        self.sign_pilot_agreement()
        self.sign_in(self.mia)

        response = self.client.get(self.url("reschedule", self.meeting))

        self.assertContains(response, "What you agreed about postponing")
        self.assertContains(response, "We tell each other a day ahead and suggest two new times.")

    def test_without_an_agreed_plan_no_plan_is_shown(self):
        self.sign_in(self.mia)

        response = self.client.get(self.url("reschedule", self.meeting))

        self.assertNotContains(response, "What you agreed about postponing")

    def test_it_moves_the_meeting_and_tells_the_partner(self):
        self.sign_in(self.mia)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.post()

        self.assertRedirects(response, self.url("detail", self.meeting))
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.starts_at.isoformat(), "2026-12-01T14:00:00+00:00")
        self.assertEqual((self.meeting.sequence, self.meeting.place), (1, "Library café"))
        self.assertEqual(self.meeting.original_starts_at, TOMORROW)
        self.assertEqual(
            events_of(self.meeting).last().meeting_reason.reason,
            "A grant panel moved onto our slot.",
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["theo@example.org"])
        self.assertEqual(mail.outbox[0].subject, "Mia Mentor moved your mentoring meeting")
        self.assertIn("SEQUENCE:1", mail.outbox[0].attachments[0][1])
        self.assertNotIn("grant panel", mail.outbox[0].body)

    def test_no_reason_is_refused_beside_the_reason(self):
        self.sign_in(self.mia)

        response = self.post(self.form(reason=""))

        self.assertContains(response, 'id="id_reason_error"')
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.sequence, 0)

    def test_htmx_gets_the_form_or_a_client_redirect(self):
        self.sign_in(self.mia)

        refused = self.post(self.form(date="2026-11-01"), headers=self.htmx())
        self.assertNotContains(refused, "<html")
        self.assertContains(refused, "Choose a time in the future")

        done = self.post(headers=self.htmx())
        self.assertEqual(done["HX-Redirect"], self.url("detail", self.meeting))

    def test_a_cancelled_meeting_cannot_be_moved(self):
        self.sign_in(self.mia)
        self.client.post(self.url("cancel", self.meeting), {"version": "1", "reason": "Ill"})

        page = self.client.get(self.url("reschedule", self.meeting))
        self.assertContains(page, "This meeting was cancelled.")
        self.assertNotContains(page, "Move the meeting</button>")

        response = self.post(self.form(version="2"))
        self.assertContains(response, "This meeting was cancelled.")
        self.assertEqual(Meeting.objects.get().status, "cancelled")

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.post().status_code, status)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.sequence, 0)
