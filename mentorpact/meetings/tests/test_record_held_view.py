from datetime import timedelta

from django.core import mail
from django.test import override_settings

from mentorpact.meetings.models import Meeting
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, NOW, MeetingsTestCase
from mentorpact.test import events_of, kinds


@override_settings(TASKS=IMMEDIATE_TASKS)
class RecordHeldViewTest(MeetingsTestCase):
    def setUp(self):
        super().setUp()
        with self.clock_at(NOW - timedelta(days=2)):
            self.meeting = self.schedule(starts_at=NOW - timedelta(hours=2), time_zone="UTC")

    def form(self, **overrides):
        data = {
            "version": "1",
            "date": "2026-11-23",
            "time": "08:00",
            "time_zone": "UTC",
            "held_minutes": "40",
            "mode": "telephone",
            "topics": "Reviewers' comments",
        }
        return data | overrides

    def post(self, data=None, **kwargs):
        return self.client.post(self.url("held", self.meeting), data or self.form(), **kwargs)

    def test_the_form_starts_from_the_plan(self):
        self.sign_in(self.theo)

        form = self.client.get(self.url("held", self.meeting)).context["form"]

        self.assertEqual(form.initial["time"].isoformat(), "08:00:00")
        self.assertEqual(form.initial["held_minutes"], 60)
        self.assertEqual(form.initial["mode"], "online")

    def test_it_records_the_meeting_invites_feedback_and_offers_to_agree_the_next(self):
        self.sign_in(self.mia)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.post()

        self.assertRedirects(response, self.url("schedule") + f"?after={self.meeting.public_id}")
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, Meeting.Status.HELD)
        self.assertEqual((self.meeting.held_minutes, self.meeting.mode), (40, "telephone"))
        self.assertEqual(self.meeting.topics, "Reviewers' comments")
        self.assertEqual(
            kinds(events_of(self.meeting)),
            ["scheduled", "held", "feedback_invited"],
        )
        self.assertEqual(len(mail.outbox), 1)
        invitation = mail.outbox[0]
        self.assertEqual(invitation.to, ["theo@example.org"])
        self.assertEqual(invitation.subject, "How was your meeting with Mia Mentor?")
        self.assertIn(self.url("feedback", self.meeting), invitation.body)
        self.assertNotIn("Reviewers", invitation.body)

    def test_a_page_that_was_open_while_the_partner_recorded_it_is_refused(self):
        self.sign_in(self.theo)
        self.post()  # Theo records it

        self.sign_in(self.mia)
        response = self.post(self.form(held_minutes="90"))  # Mia's page still said version 1

        self.assertContains(response, "already recorded as held")
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.held_minutes, 40)

    def test_recording_a_meeting_the_partner_cancelled_is_refused_and_the_typing_kept(self):
        self.sign_in(self.mia)
        self.client.post(self.url("cancel", self.meeting), {"version": "1", "reason": "Ill"})
        self.sign_in(self.theo)

        response = self.post()

        self.assertContains(response, "This meeting was cancelled.")
        self.assertContains(response, "Reviewers&#x27; comments</textarea>")
        self.assertEqual(Meeting.objects.get().status, Meeting.Status.CANCELLED)

    def test_a_time_still_to_come_is_refused_beside_the_date(self):
        self.sign_in(self.theo)

        response = self.post(self.form(date="2026-11-24"))

        self.assertContains(response, 'id="id_date_error"')
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, Meeting.Status.SCHEDULED)

    def test_htmx_gets_the_form_or_a_client_redirect(self):
        self.sign_in(self.theo)

        refused = self.post(self.form(mode="semaphore"), headers=self.htmx())
        self.assertNotContains(refused, "<html")
        self.assertContains(refused, 'id="id_mode_error"')

        done = self.post(headers=self.htmx())
        self.assertTrue(done["HX-Redirect"].endswith(f"?after={self.meeting.public_id}"))

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.post().status_code, status)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, Meeting.Status.SCHEDULED)
