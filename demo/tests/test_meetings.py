"""The demo's meetings (demo/player.py), as load_demo leaves them."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count, Q
from django.test import TestCase

from demo import player
from mentorpact.meetings.models import Feedback, Meeting, MeetingReason, Note
from mentorpact.partnerships.models import Partnership


class DemoMeetingsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def test_every_program_has_partnerships_meeting_with_notes_and_feedback(self):
        programs = Partnership.objects.values("program__name").annotate(
            held=Count("meetings", filter=Q(meetings__status="held"), distinct=True),
            notes=Count("notes", distinct=True),
            feedback=Count("meetings__feedback", distinct=True),
        )
        self.assertEqual(len(programs), 5)
        for program in programs:
            with self.subTest(program["program__name"]):
                self.assertGreater(program["held"], 0)
                self.assertGreater(program["notes"], 0)
                self.assertGreater(program["feedback"], 0)

    def test_every_stage_is_shown(self):
        self.assertTrue(Meeting.objects.filter(status="cancelled").exists())
        self.assertTrue(Meeting.objects.filter(status="scheduled", sequence=1).exists())  # moved
        self.assertTrue(Meeting.objects.filter(off_platform=True).exists())
        self.assertTrue(
            Meeting.objects.filter(partnership__status="drafting", status="scheduled").exists()
        )
        for status in ("concluded", "ended_early"):
            with self.subTest(status):
                self.assertTrue(Meeting.objects.filter(partnership__status=status).exists())
        self.assertEqual(
            set(Note.objects.values_list("visibility", flat=True)), {"shared", "private"}
        )
        self.assertEqual(
            set(Feedback.objects.values_list("shared_with_partner", flat=True)), {True, False}
        )
        self.assertTrue(MeetingReason.objects.filter(event__action="meeting.rescheduled").exists())

    def test_open_partnerships_have_their_next_meeting_and_mias_mentee_theo_has_a_story(self):
        remote = Partnership.objects.get(
            program__name="Remote Mentoring Programme", mentee__email="theo@example.org"
        )
        self.assertGreaterEqual(remote.meetings.filter(status="held").count(), 5)
        self.assertEqual(remote.meetings.filter(status="scheduled").count(), 2)
        for partnership in Partnership.objects.filter(status="active"):
            with self.subTest(partnership):
                self.assertTrue(partnership.meetings.filter(status="scheduled").exists())

    def test_a_second_run_changes_nothing(self):
        counts = [model.objects.count() for model in (Meeting, MeetingReason, Note, Feedback)]

        player.load_demo()

        self.assertEqual(
            [model.objects.count() for model in (Meeting, MeetingReason, Note, Feedback)], counts
        )
