from django.core import mail
from django.test import override_settings

from mentorpact.meetings.models import Meeting
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, YESTERDAY, MeetingsTestCase
from mentorpact.test import events_of, kinds

FORM = {
    "date": "2026-11-22",
    "time": "10:00",
    "time_zone": "UTC",
    "held_minutes": "15",
    "mode": "telephone",
    "topics": "Whether to apply this round",
}


@override_settings(TASKS=IMMEDIATE_TASKS)
class RecordPastViewTest(MeetingsTestCase):
    def post(self, data=None, **kwargs):
        return self.client.post(self.url("record_past"), data or FORM, **kwargs)

    def test_one_short_form_records_the_meeting_then_offers_to_agree_the_next(self):
        self.sign_in(self.theo)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.post()

        meeting = Meeting.objects.get()
        self.assertRedirects(response, self.url("schedule") + f"?after={meeting.public_id}")
        self.assertEqual((meeting.status, meeting.off_platform), ("held", True))
        self.assertEqual((meeting.starts_at, meeting.held_minutes), (YESTERDAY, 15))
        self.assertEqual(kinds(events_of(meeting)), ["held", "feedback_invited"])
        # The pilot asks the mentee for feedback: Theo is invited.
        self.assertEqual([m.to for m in mail.outbox], [["theo@example.org"]])

    def test_the_form_starts_from_today_in_the_persons_zone(self):
        self.theo.time_zone = "Pacific/Auckland"  # already 24 November there
        self.theo.save()
        self.sign_in(self.theo)

        form = self.client.get(self.url("record_past")).context["form"]

        self.assertEqual(form.initial["date"].isoformat(), "2026-11-23")
        self.assertEqual(form.initial["time_zone"], "Pacific/Auckland")

    def test_a_meeting_still_to_come_is_refused_beside_the_date(self):
        self.sign_in(self.theo)

        response = self.post({**FORM, "date": "2026-11-30"})

        self.assertContains(response, 'id="id_date_error"')
        self.assertContains(response, "That time is still to come")
        self.assertContains(response, "Whether to apply this round")
        self.assertFalse(Meeting.objects.exists())

    def test_htmx_gets_the_form_or_a_client_redirect(self):
        self.sign_in(self.theo)

        refused = self.post({**FORM, "held_minutes": "0"}, headers=self.htmx())
        self.assertNotContains(refused, "<html")
        self.assertContains(refused, 'id="id_held_minutes_error"')

        done = self.post(headers=self.htmx())
        self.assertTrue(done["HX-Redirect"].startswith(self.url("schedule") + "?after="))

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.post().status_code, status)
        self.assertFalse(Meeting.objects.exists())
