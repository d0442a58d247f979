"""The evaluations over the API: the same response rates and suppressed aggregates as the
evaluation's page, never an answer itself nor who gave it, for the coordinators only."""

from django.test import Client
from django.utils import timezone

from mentorpact.accounts import services as account_services
from mentorpact.evaluations.models import Response
from mentorpact.evaluations.tests import a_round, an_evaluation
from mentorpact.test import BaseTestCase

PAIRS = 6


class EvaluationsApiTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.others = self.add_mentees(PAIRS - 1)
        self.evaluation = an_evaluation(self)
        self.rounds = [
            a_round(self.evaluation, p, opens_on=timezone.localdate())
            for p in [self.partnership, *self.others]
        ]
        _row, token = account_services.create_access_token(
            user=self.cora, name="Reports", scope="read"
        )
        self.api = Client(headers={"Authorization": f"Bearer {token}"})

    def answer(self, mentors: int) -> None:
        now = timezone.now()
        for found in self.rounds[:mentors]:
            Response.objects.create(
                round=found,
                respondent=found.partnership.mentor,
                role="mentor",
                answers={"useful": "4", "format": "Online", "comments": "Private words"},
                submitted_at=now,
                updated_at=now,
            )

    def summary(self, **query) -> dict:
        response = self.api.get(f"/api/v1/evaluations/{self.evaluation.public_id}/summary", query)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertNotIn(b"Private words", response.content)
        self.assertNotIn(self.mia.full_name.encode(), response.content)
        return {q["key"]: q for q in response.json()["questions"]}

    def test_the_program_lists_its_evaluations_with_their_response_rates(self):
        self.answer(3)
        response = self.api.get(f"/api/v1/programs/{self.program.public_id}/evaluations")
        self.assertEqual(response.status_code, 200)
        (listed,) = response.json()
        self.assertEqual(listed["id"], str(self.evaluation.public_id))
        # Three answers are fewer than five (lib.suppression): neither they nor the rate.
        self.assertEqual((listed["asked"], listed["answered"], listed["rate"]), (12, None, None))
        Response.objects.filter(round__evaluation=self.evaluation).delete()
        self.answer(6)
        (listed,) = self.api.get(f"/api/v1/programs/{self.program.public_id}/evaluations").json()
        self.assertEqual((listed["asked"], listed["answered"], listed["rate"]), (12, 6, 50))

    def test_fewer_than_five_respondents_give_nothing_but_that(self):
        self.answer(4)
        useful = self.summary()["useful"]
        self.assertTrue(useful["suppressed"])
        self.assertEqual(
            (useful["respondents"], useful["mean"], useful["counts"]), (None, None, [])
        )

    def test_five_respondents_give_the_counts_and_a_text_question_only_its_count(self):
        self.answer(5)
        figures = self.summary()
        self.assertFalse(figures["useful"]["suppressed"])
        self.assertEqual(figures["useful"]["respondents"], 5)
        self.assertEqual(figures["useful"]["mean"], 4.0)
        (given,) = [c for c in figures["useful"]["counts"] if c["count"]]
        self.assertTrue(given["answer"].startswith("4"), given)  # "4: ..." with its label
        self.assertEqual(given["count"], 5)
        self.assertEqual(figures["comments"]["counts"], [])  # never what was written
        # The mentors alone are everyone who answered: shown; the mentees (none) are not.
        self.assertFalse(self.summary(role="mentor")["useful"]["suppressed"])

    def test_an_unknown_role_is_refused(self):
        response = self.api.get(
            f"/api/v1/evaluations/{self.evaluation.public_id}/summary", {"role": "coordinator"}
        )
        self.assertEqual(response.status_code, 422)
