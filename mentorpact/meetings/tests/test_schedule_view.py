from datetime import timedelta

from django.core import mail
from django.test import override_settings

from mentorpact.meetings.models import Meeting
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, NOW, MeetingsTestCase
from mentorpact.test import events_of

FORM = {
    "date": "2026-12-02",
    "time": "09:30",
    "time_zone": "America/Chicago",
    "duration_minutes": "45",
    "mode": "online",
    "place": "https://meet.example.org/room",
    "agenda": "The grant budget",
}


@override_settings(TASKS=IMMEDIATE_TASKS)
class ScheduleViewTest(MeetingsTestCase):
    def post(self, data=None, **kwargs):
        return self.client.post(self.url("schedule"), data or FORM, **kwargs)

    def test_the_form_names_who_organises_and_offers_the_agreements_modes(self):
        self.sign_in(self.mia)

        response = self.client.get(self.url("schedule"))

        self.assertContains(response, "Theo Mentee (the mentee) arranges meetings")
        self.assertContains(
            response, '<option value="face_to_face">Face-to-face</option>', html=True
        )
        self.assertContains(response, '<label for="id_date">Date')
        self.assertContains(response, '<option value="UTC" selected>UTC</option>', html=True)

    def test_it_schedules_and_tells_the_partner_with_a_calendar_file(self):
        self.sign_in(self.mia)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.post()

        meeting = Meeting.objects.get()
        self.assertRedirects(response, self.url("detail", meeting))
        self.assertEqual(meeting.starts_at, NOW.replace(day=2, month=12, hour=15, minute=30))
        self.assertEqual((meeting.time_zone, meeting.duration_minutes), ("America/Chicago", 45))
        self.assertEqual(meeting.agenda, "The grant budget")
        self.assertEqual(events_of(meeting).get().kind, "scheduled")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["theo@example.org"])
        self.assertEqual(message.subject, "Mia Mentor scheduled a mentoring meeting")
        self.assertIn(
            "2 Dec 2026, 15:30 UTC; 2 Dec 2026, 09:30 CST (America/Chicago)", message.body
        )
        self.assertNotIn("grant budget", message.body)
        self.assertEqual(message.attachments[0][0], "mentoring-meeting-2026-12-02.ics")

    def test_a_time_in_the_past_is_refused_beside_the_date_and_the_typing_kept(self):
        self.sign_in(self.theo)

        response = self.post({**FORM, "date": "2026-11-20"})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_date_error"')
        self.assertContains(response, "Choose a time in the future")
        self.assertContains(response, "The grant budget")
        self.assertFalse(Meeting.objects.exists())

    def test_a_time_the_clocks_skip_is_refused_beside_the_time(self):
        self.sign_in(self.theo)

        response = self.post({**FORM, "date": "2027-03-14", "time": "02:30"})

        self.assertContains(response, "There is no 02:30 on 14 March 2027 in America/Chicago")
        self.assertContains(response, 'id="id_time_error"')
        self.assertFalse(Meeting.objects.exists())

    def test_an_unknown_time_zone_is_refused_beside_it(self):
        self.sign_in(self.theo)

        response = self.post({**FORM, "time_zone": "Mars/Base"})

        self.assertContains(response, 'id="id_time_zone_error"')
        self.assertFalse(Meeting.objects.exists())

    def test_htmx_gets_the_form_with_its_errors_or_a_client_redirect(self):
        self.sign_in(self.theo)

        refused = self.post({**FORM, "date": "2026-11-20"}, headers=self.htmx())
        self.assertTrue(
            refused.content.startswith(b"\n<form") or refused.content.startswith(b"<form")
        )
        self.assertNotContains(refused, "<html")
        self.assertContains(refused, "Choose a time in the future")

        done = self.post(headers=self.htmx())
        self.assertEqual(done["HX-Redirect"], self.url("detail", Meeting.objects.get()))

    def test_agree_the_next_one_fills_the_form_from_the_meeting_just_held(self):
        held = self.held()  # yesterday 10:00 UTC, Europe/London, online
        self.sign_in(self.theo)

        response = self.client.get(self.url("schedule") + f"?after={held.public_id}")

        self.assertContains(response, "Agree the next meeting")
        form = response.context["form"]
        self.assertEqual(
            form.initial["date"], (NOW - timedelta(days=1)).date() + timedelta(days=14)
        )
        self.assertEqual(form.initial["time"].isoformat(), "10:00:00")
        self.assertEqual(form.initial["time_zone"], "Europe/London")
        self.assertEqual(form.initial["mode"], "online")
        self.assertContains(response, "skip this for now")

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.client.get(self.url("schedule")).status_code, status)
                self.assertEqual(self.post().status_code, status)
        self.assertFalse(Meeting.objects.exists())

    def test_after_closing_the_page_says_why_and_a_post_changes_nothing(self):
        self.close_partnership()
        self.sign_in(self.theo)

        page = self.client.get(self.url("schedule"))
        self.assertContains(page, "This partnership has concluded")
        self.assertNotContains(page, "Schedule the meeting</button>")

        response = self.post()
        self.assertContains(response, "This partnership has concluded")
        self.assertFalse(Meeting.objects.exists())


@override_settings(TASKS=IMMEDIATE_TASKS)
class LengthOutsideTheAgreementTest(MeetingsTestCase):
    """The rule `meeting_length`: a length outside it is a warning beside the length, with a
    box to keep it anyway; never refused for good, never passed silently."""

    def setUp(self) -> None:
        super().setUp()
        self.program.rules = {"meeting_length": {"max_minutes": 40}}
        self.program.save(update_fields=["rules"])
        self.sign_in(self.theo)

    def test_it_warns_beside_the_length_and_keeps_it_only_when_the_box_is_ticked(self):
        response = self.client.post(self.url("schedule"), FORM)

        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response,
            "Your agreement says each meeting lasts at most 40 minutes; this one is 45",
        )
        self.assertContains(response, 'type="checkbox" name="accept_length"')
        self.assertContains(response, 'value="45"')  # the typing is kept
        self.assertFalse(Meeting.objects.exists())

        response = self.client.post(self.url("schedule"), FORM | {"accept_length": "on"})

        meeting = Meeting.objects.get()
        self.assertRedirects(response, self.url("detail", meeting))
        self.assertEqual(meeting.duration_minutes, 45)
        self.assertIs(events_of(meeting).get().details["length_outside_agreement"], True)

    def test_within_the_bounds_there_is_no_box(self):
        response = self.client.get(self.url("schedule"))
        self.assertNotContains(response, 'type="checkbox" name="accept_length"')

        response = self.client.post(self.url("schedule"), FORM | {"duration_minutes": "30"})

        self.assertRedirects(response, self.url("detail", Meeting.objects.get()))
        self.assertNotIn("length_outside_agreement", events_of(Meeting.objects.get()).get().details)
