"""Bounded, survivable values: a date outside 1970 .. 100 years ahead is refused beside the
field, and every reader (the meeting's .ics, the calendar feed, the record ZIP, the pages)
survives any moment already stored, year 1 or year 9999."""

from datetime import UTC, date, datetime, timedelta

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting
from mentorpact.meetings.tests.base import MeetingsTestCase
from mentorpact.meetings.tests.test_schedule_view import FORM

EXTREMES = [
    datetime(1, 1, 1, 0, 0, tzinfo=UTC),
    datetime(1969, 12, 31, 23, 59, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
    datetime.max.replace(tzinfo=UTC) - timedelta(minutes=1),
]


class ExtremeDatesAreRefusedTest(MeetingsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign_pilot_agreement()

    def test_a_meeting_in_the_year_9999_is_refused_beside_the_date(self):
        self.sign_in(self.mia)
        for day, message in (
            ("9999-12-31", "Enter a date before the end of 2126."),
            ("1969-12-31", "Enter a date from 1 January 1970 on."),
        ):
            with self.subTest(day=day):
                response = self.client.post(self.url("schedule"), FORM | {"date": day})
                self.assertContains(response, message)
                self.assertContains(response, FORM["agenda"])  # the typed text stays
        self.assertFalse(Meeting.objects.exists())

    def test_a_past_meeting_before_1970_is_refused(self):
        self.sign_in(self.mia)
        response = self.client.post(
            self.url("record_past"),
            FORM | {"date": "1800-01-01", "held_minutes": "30", "topics": "Budget"},
        )
        self.assertContains(response, "Enter a date from 1 January 1970 on.")
        self.assertFalse(Meeting.objects.exists())


class StoredExtremesAreReadTest(MeetingsTestCase):
    """Moments stored before the bounds existed (or by a script) never make a reader 500."""

    def setUp(self) -> None:
        super().setUp()
        self.sign_pilot_agreement()
        self.meeting = self.schedule()
        token = services.create_calendar_feed(user=self.theo)
        self.feed = reverse("meetings:feed", args=[token])

    def readers(self) -> list[str]:
        pages = [
            self.url("ics", self.meeting),
            self.url("detail", self.meeting),
            self.url("log"),
            reverse("progress:record", args=[self.partnership.public_id]),
            f"/partnerships/{self.partnership.public_id}/",
        ]
        return pages

    def test_every_reader_survives_extreme_stored_moments(self):
        for moment in EXTREMES:
            Meeting.objects.filter(pk=self.meeting.pk).update(starts_at=moment)
            for user in (self.theo, self.cora):
                self.sign_in(user)
                for url in self.readers():
                    if user == self.cora and "record" in url:
                        continue  # the record is the partners' own
                    with self.subTest(moment=moment, url=url, user=user.email):
                        response = self.client.get(url)
                        self.assertIn(response.status_code, (200, 403), url)
                        if url.endswith(".ics") and response.status_code == 200:
                            self.assertIn(b"BEGIN:VEVENT", response.content)

    def test_the_feed_survives_them(self):
        for moment in EXTREMES:
            Meeting.objects.filter(pk=self.meeting.pk).update(starts_at=moment)
            with self.subTest(moment=moment):
                response = self.client.get(self.feed)
                self.assertEqual(response.status_code, 200)
                self.assertIn(b"BEGIN:VEVENT", response.content)


class UnreadableNoteTest(MeetingsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign_pilot_agreement()
        self.written = self.note()
        # A token written with a key this installation no longer has.
        from cryptography.fernet import Fernet

        foreign = Fernet(Fernet.generate_key()).encrypt(b"lost words").decode()
        type(self.written).objects.filter(pk=self.written.pk).update(body_token=foreign)

    def test_the_page_says_it_cannot_be_read_instead_of_a_500(self):
        self.sign_in(self.theo)
        response = self.client.get(self.url("log"))
        self.assertContains(response, "cannot be decrypted with this installation")

    def test_it_cannot_be_overwritten_and_its_token_is_kept(self):
        note = type(self.written).objects.get(pk=self.written.pk)
        token = note.body_token
        with self.assertRaisesMessage(services.MeetingError, "cannot be decrypted"):
            services.edit_note(
                note=note, user=self.theo, body="new", visibility="private", based_on_version=1
            )
        note.body = note.body  # assigning what was read back keeps the stored token
        self.assertEqual(note.body_token, token)

    def test_the_deploy_check_reports_it(self):
        from mentorpact.meetings.checks import check_stored_text_decrypts

        problems = check_stored_text_decrypts(None)
        self.assertEqual([p.id for p in problems], ["meetings.E003"])
        self.assertIn("1 of the 1 newest Note.body_token", problems[0].msg)


class ExtremeDatesHypothesisTest(MeetingsTestCase):
    """Any date a browser can send: a clear answer, never a 500."""

    def test_any_meeting_date_gets_a_page_not_a_500(self):
        self.sign_pilot_agreement()
        self.sign_in(self.mia)

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(day=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
        def schedule_on(day):
            response = self.client.post(self.url("schedule"), FORM | {"date": day.isoformat()})
            self.assertIn(response.status_code, (200, 302))
            if Meeting.objects.exists():
                self.assertTrue(date(2026, 11, 23) <= day <= date(2126, 12, 31), day)
            else:
                self.assertEqual(response.status_code, 200)
            Meeting.objects.all().delete()

        schedule_on()
