from django.core import mail
from django.test import override_settings

from mentorpact.meetings.models import Meeting
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, MeetingsTestCase
from mentorpact.test import events_of


@override_settings(TASKS=IMMEDIATE_TASKS)
class CancelViewTest(MeetingsTestCase):
    def setUp(self):
        super().setUp()
        self.meeting = self.schedule(user=self.mia)

    def post(self, data=None, **kwargs):
        data = data or {"version": "1", "reason": "My flight was moved."}
        return self.client.post(self.url("cancel", self.meeting), data, **kwargs)

    def test_the_page_shows_the_contingency_plan_and_offers_to_move_instead(self):
        self.sign_pilot_agreement()
        self.sign_in(self.theo)

        response = self.client.get(self.url("cancel", self.meeting))

        self.assertContains(response, "We tell each other a day ahead")
        self.assertContains(response, self.url("reschedule", self.meeting))

    def test_it_cancels_and_tells_the_partner_with_a_cancelling_calendar_file(self):
        self.sign_in(self.theo)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.post()

        self.assertRedirects(response, self.url("detail", self.meeting))
        self.meeting.refresh_from_db()
        self.assertEqual((self.meeting.status, self.meeting.sequence), ("cancelled", 1))
        event = events_of(self.meeting).last()
        self.assertEqual(
            (event.kind, event.actor, event.meeting_reason.reason),
            ("cancelled", self.theo, "My flight was moved."),
        )
        self.assertEqual(mail.outbox[0].to, ["mia@example.org"])
        self.assertEqual(mail.outbox[0].subject, "Theo Mentee cancelled your mentoring meeting")
        self.assertIn("STATUS:CANCELLED", mail.outbox[0].attachments[0][1])

    def test_no_reason_is_refused_beside_the_reason(self):
        self.sign_in(self.theo)

        response = self.post({"version": "1", "reason": "  "})

        self.assertContains(response, 'id="id_reason_error"')
        self.assertEqual(Meeting.objects.get().status, "scheduled")

    def test_htmx_gets_the_form_or_a_client_redirect(self):
        self.sign_in(self.theo)

        refused = self.post({"version": "1", "reason": ""}, headers=self.htmx())
        self.assertNotContains(refused, "<html")
        self.assertContains(refused, 'id="id_reason_error"')

        done = self.post(headers=self.htmx())
        self.assertEqual(done["HX-Redirect"], self.url("detail", self.meeting))

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.post().status_code, status)
        self.assertEqual(Meeting.objects.get().status, "scheduled")

    def test_after_closing_nothing_is_cancelled(self):
        self.close_partnership("ended_early")
        self.sign_in(self.theo)

        response = self.post()

        self.assertContains(response, "This partnership has ended early")
        self.assertEqual(Meeting.objects.get().status, "scheduled")
