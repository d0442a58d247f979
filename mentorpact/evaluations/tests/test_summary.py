"""What the coordinators read of an anonymous evaluation: response rates, and aggregates over
at least MIN_GROUP respondents, never one that, set against another shown figure, leaves
fewer than MIN_GROUP answers to tell apart."""

from itertools import product

from django.urls import reverse
from django.utils import timezone

from mentorpact.evaluations import form, selectors
from mentorpact.evaluations.models import Response
from mentorpact.evaluations.tests import a_round, an_evaluation
from mentorpact.test import BaseTestCase

PAIRS = 7


class SummaryTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.others = self.add_mentees(PAIRS - 1)
        self.evaluation = an_evaluation(self)
        self.rounds = [
            a_round(self.evaluation, p, opens_on=timezone.localdate())
            for p in [self.partnership, *self.others]
        ]

    def answer(self, mentors: int, mentees: int, *, mentor_says="1", mentee_says="5") -> None:
        """`mentors` mentor answers (in the first rounds) and `mentees` mentee answers."""
        Response.objects.all().delete()
        now = timezone.now()
        for i, found in enumerate(self.rounds):
            for role, wanted, says in (
                ("mentor", mentors, mentor_says),
                ("mentee", mentees, mentee_says),
            ):
                if i < wanted:
                    Response.objects.create(
                        round=found,
                        respondent=getattr(found.partnership, role),
                        role=role,
                        answers={"useful": says, "format": "Online", "comments": f"{role} {i}"},
                        submitted_at=now,
                        updated_at=now,
                    )

    def figures(self) -> dict[str, dict[str, selectors.Figure]]:
        """Every figure a coordinator can have, by filter (everyone, each role) and question."""
        return {
            role: {q.question.key: q.figure for q in summary.questions}
            for role in ("", "mentor", "mentee")
            for summary in [selectors.evaluation_summary(self.evaluation, role=role)]
        }

    def test_no_answer_can_be_told_apart_by_filtering(self):
        # Every mix of answers from 0 to 7 mentors and 0 to 7 mentees: each shown figure rests
        # on at least MIN_GROUP answers, and so does what one shown figure leaves when taken
        # from another (everyone minus a role), so no filter isolates a smaller group.
        shown_any = shown_role = 0
        for mentors, mentees in product(range(PAIRS + 1), repeat=2):
            self.answer(mentors, mentees)
            figures = self.figures()
            for key in ("useful", "format", "comments"):
                everyone = figures[""][key]
                for role in ("mentor", "mentee"):
                    part = figures[role][key]
                    if part.shown:
                        shown_role += 1
                        self.assertGreaterEqual(part.respondents, selectors.MIN_GROUP)
                        if everyone.shown:
                            rest = everyone.respondents - part.respondents
                            self.assertTrue(
                                rest == 0 or rest >= selectors.MIN_GROUP, (mentors, mentees)
                            )
                if everyone.shown:
                    shown_any += 1
                    self.assertGreaterEqual(everyone.respondents, selectors.MIN_GROUP)
        # ... and the figures are not simply all hidden: the rule lets through what it can.
        self.assertGreater(shown_any, 0)
        self.assertGreater(shown_role, 0)

    def test_one_mentor_among_five_mentees_stays_hidden(self):
        # Everyone (6) is shown; mentees (5) would leave the one mentor's answer as the
        # difference, so they are not.
        self.answer(1, 5)
        figures = self.figures()
        self.assertTrue(figures[""]["useful"].shown)
        self.assertEqual(figures[""]["useful"].respondents, 6)
        self.assertFalse(figures["mentee"]["useful"].shown)
        self.assertFalse(figures["mentor"]["useful"].shown)

    def test_the_page_shows_the_rate_and_suppresses_under_five(self):
        self.answer(2, 2)
        self.sign_in(self.cora)
        page = self.client.get(reverse("evaluations:summary", args=[self.evaluation.public_id]))
        # Four answers: a count of fewer than five people, and so no rate (lib.suppression).
        self.assertContains(page, "fewer than 5 of 14 asked so far</dd>")
        self.assertContains(page, "Not shown: fewer than 5 answers", count=3)
        self.assertNotContains(page, "average")
        self.assertNotContains(page, "mentor 0")
        self.answer(5, 5, mentor_says="2", mentee_says="4")
        page = self.client.get(reverse("evaluations:summary", args=[self.evaluation.public_id]))
        self.assertContains(page, "average 3.0 of 5")
        self.assertContains(page, "10 of 14 asked so far (71%)")
        self.assertContains(page, "10 wrote an answer")
        self.assertNotContains(page, "mentor 0")
        by_role = self.client.get(
            reverse("evaluations:summary", args=[self.evaluation.public_id]) + "?role=mentor"
        )
        self.assertContains(by_role, "average 2.0 of 5")

    def test_program_summary_gives_each_evaluations_response_rate(self):
        self.answer(3, 4)
        later = an_evaluation(self, form.EXAMPLE.replace("Midpoint evaluation", "Later"))
        rows = selectors.program_summary(self.program)
        self.assertEqual(
            [(r.evaluation.title, r.asked, r.answered, r.rate) for r in rows],
            [("Later", 0, 0, None), ("Midpoint evaluation", 14, 7, 50)],
        )
        self.assertEqual(later.rounds.count(), 0)

    def test_a_named_evaluation_shows_each_answer_with_its_name(self):
        named = an_evaluation(self, form.EXAMPLE.replace("named: false", "named: true"))
        found = a_round(named, self.partnership)
        Response.objects.create(
            round=found,
            respondent=self.theo,
            role="mentee",
            answers={"useful": "3", "comments": "Signed words"},
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        )
        self.sign_in(self.cora)
        page = self.client.get(reverse("evaluations:summary", args=[named.public_id]))
        self.assertContains(page, "Theo Mentee (mentee)")
        self.assertContains(page, "Signed words")
