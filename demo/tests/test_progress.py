"""The demo shows partnerships of every seed program in the stages after signing."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership
from mentorpact.progress.models import (
    ActionPlan,
    ClosingReview,
    Commitment,
    MidpointReview,
    ThankYouNote,
)

STORY_DAY = date(2026, 11, 23)


class DemoStoryTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=StringIO())

    def pair(self, mentor: str, mentee: str) -> Partnership:
        return Partnership.objects.exclude(status="drafting").get(
            mentor__email=f"{mentor}@example.org", mentee__email=f"{mentee}@example.org"
        )

    def test_every_program_has_an_action_plan_and_a_closing_review(self):
        for program in ("RED", "ASPE", "WHPRMS", "Pilot", "Remote"):
            name = {"Pilot": "University", "Remote": "Remote"}.get(program, program)
            with self.subTest(program):
                self.assertTrue(
                    ActionPlan.objects.filter(partnership__program__name__startswith=name).exists()
                )
                self.assertTrue(
                    ClosingReview.objects.filter(
                        partnership__program__name__startswith=name, status="confirmed"
                    ).exists()
                )

    def test_each_stage_is_shown(self):
        self.assertEqual(
            MidpointReview.objects.filter(partnership=self.pair("mia", "theo")).count(), 2
        )
        self.assertEqual(
            MidpointReview.objects.filter(partnership=self.pair("meilin.chen", "jamal.carter"))
            .values_list("role", flat=True)
            .get(),
            "mentor",
        )
        continued = self.pair("aiko.tanaka", "samuel.okafor")
        self.assertEqual(continued.status, "active")
        self.assertEqual(
            list(continued.agreements.values_list("number", "status")),
            [(2, "drafting"), (1, "in_effect")],
        )
        intervention = ClosingReview.objects.get(
            partnership=self.pair("carlos.mendoza", "eleanor.whitfield")
        )
        self.assertEqual(
            (intervention.decision, intervention.outside_intervention), ("end_early", True)
        )
        self.assertTrue(
            ThankYouNote.objects.filter(
                partnership=self.pair("hiroshi.sato", "liam.oconnor")
            ).exists()
        )
        self.assertTrue(Commitment.objects.filter(done_at__isnull=False).exists())
        unsigned = ClosingReview.objects.get(partnership=self.pair("sofia.rossi", "ethan.walker"))
        self.assertIsNone(unsigned.agreement)

    def test_every_closed_partnership_has_its_closing_review(self):
        # An undone pairing is closed without a review: nobody had signed anything to review.
        closed = Partnership.objects.exclude(
            status__in=[*Partnership.OPEN_STATUSES, Partnership.Status.UNPAIRED]
        )
        for partnership in closed:
            with self.subTest(str(partnership)):
                self.assertTrue(partnership.closing_reviews.filter(status="confirmed").exists())

    def test_nothing_is_dated_after_the_storys_day(self):
        self.assertFalse(
            Event.objects.filter(action__startswith="progress.", at__date__gt=STORY_DAY).exists()
        )
        self.assertFalse(MidpointReview.objects.filter(submitted_at__date__gt=STORY_DAY).exists())
