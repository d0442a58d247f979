"""A partner answers their round once, edits until the deadline; a second or stale submit is
refused with the saved answers shown; the coordinators create, edit and close."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mentorpact.audit.models import Event
from mentorpact.evaluations import form, selectors, services
from mentorpact.evaluations.models import Evaluation, Response, Round
from mentorpact.evaluations.tests import ANSWERS, a_round, an_evaluation
from mentorpact.test import BaseTestCase


def post_data(answers: dict, version=None) -> dict:
    data = {f"q_{k}": v for k, v in answers.items()}
    if version is not None:
        data["version"] = version
    return data


class AnswerTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.evaluation = an_evaluation(self)
        self.round = a_round(self.evaluation, self.partnership)
        self.url = reverse(
            "evaluations:answer",
            args=[self.evaluation.public_id, self.partnership.public_id, "midpoint"],
        )

    def test_the_form_says_it_is_confidential_before_answering(self):
        self.sign_in(self.theo)
        response = self.client.get(self.url)
        self.assertContains(response, "Your answers are confidential")
        self.assertContains(response, "How useful are your meetings?")
        self.assertContains(response, "4: Very")

    def test_a_named_evaluation_says_so_before_answering(self):
        named = an_evaluation(self, form.EXAMPLE.replace("named: false", "named: true"))
        a_round(named, self.partnership)
        self.sign_in(self.mia)
        response = self.client.get(
            reverse(
                "evaluations:answer", args=[named.public_id, self.partnership.public_id, "midpoint"]
            )
        )
        self.assertContains(response, "This evaluation is named")

    def test_theo_answers_once_and_it_is_kept_encrypted_and_audited(self):
        self.sign_in(self.theo)
        response = self.client.post(self.url, post_data(ANSWERS))
        self.assertRedirects(response, self.url)
        saved = Response.objects.get()
        self.assertEqual(saved.answers, ANSWERS)
        self.assertEqual((saved.role, saved.respondent), ("mentee", self.theo))
        event = Event.objects.get(action="evaluation.answered")
        self.assertEqual(event.details, {"round": "midpoint"})
        self.assertIsNone(event.partnership_id)  # not on the pair's timeline
        self.assertNotIn("Tuesdays", str(event.details))

    def test_a_second_first_submit_is_refused_and_the_saved_answers_shown(self):
        self.sign_in(self.theo)
        self.client.post(self.url, post_data(ANSWERS))
        again = self.client.post(self.url, post_data(ANSWERS | {"useful": "1"}))
        self.assertEqual(again.status_code, 409)
        self.assertContains(again, "You have already answered", status_code=409)
        self.assertContains(
            again, 'value="4" id="id_q_useful_3" required checked', status_code=409, html=False
        )
        self.assertEqual(Response.objects.get().answers["useful"], "4")

    def test_an_edit_from_an_older_page_is_refused(self):
        self.sign_in(self.theo)
        self.client.post(self.url, post_data(ANSWERS))
        self.client.post(self.url, post_data(ANSWERS | {"useful": "5"}, version=1))
        stale = self.client.post(self.url, post_data(ANSWERS | {"useful": "2"}, version=1))
        self.assertEqual(stale.status_code, 409)
        self.assertContains(stale, "changed since you opened", status_code=409)
        saved = Response.objects.get()
        self.assertEqual((saved.answers["useful"], saved.version), ("5", 2))
        self.assertTrue(Event.objects.filter(action="evaluation.answer_edited").exists())

    def test_a_missing_answer_is_named_beside_its_question_and_typed_text_stays(self):
        self.sign_in(self.theo)
        response = self.client.post(self.url, {"q_comments": "Kept text"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose an answer.", count=2 * 2, status_code=400)
        self.assertContains(response, "Kept text", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_after_the_deadline_answers_are_refused(self):
        today = timezone.localdate()
        Round.objects.filter(pk=self.round.pk).update(
            opens_on=today - datetime.timedelta(days=30),
            closes_on=today - datetime.timedelta(days=1),
        )
        self.sign_in(self.theo)
        page = self.client.get(self.url)
        self.assertContains(page, "answers are no longer taken")
        response = self.client.post(self.url, post_data(ANSWERS))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "The deadline was", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_a_closed_evaluation_takes_no_more_answers(self):
        services.close_evaluation(evaluation=self.evaluation, actor=self.cora)
        asked = selectors.get_round_for_respondent(
            self.theo, self.evaluation.public_id, self.partnership.public_id, "midpoint"
        )
        with self.assertRaisesMessage(services.EvaluationError, "has been closed"):
            services.answer(asked=asked, user=self.theo, answers=ANSWERS, version=None)

    def test_cora_does_not_answer_for_a_pair_and_olive_finds_nothing(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.sign_in(self.olive)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_mine_lists_the_round(self):
        self.sign_in(self.mia)
        response = self.client.get(reverse("evaluations:mine"))
        self.assertContains(response, "Midpoint evaluation")
        self.assertContains(response, "to answer")


class CoordinatorTest(BaseTestCase):
    def test_cora_creates_an_evaluation_and_it_is_audited(self):
        self.sign_in(self.cora)
        url = reverse("evaluations:program", args=[self.program.public_id])
        self.assertContains(self.client.get(url), "title: Midpoint evaluation")
        response = self.client.post(url, {"source": form.EXAMPLE})
        created = Evaluation.objects.get()
        self.assertRedirects(response, reverse("evaluations:summary", args=[created.public_id]))
        self.assertEqual(created.title, "Midpoint evaluation")
        self.assertEqual(Event.objects.get(action="evaluation.created").details["when"], "midpoint")

    def test_problems_are_listed_by_line_and_the_text_stays(self):
        self.sign_in(self.cora)
        url = reverse("evaluations:program", args=[self.program.public_id])
        text = form.EXAMPLE.replace("kind: choice", "kind: chioce")
        response = self.client.post(url, {"source": text})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "evaluation.yaml:12: questions[1].kind", status_code=400)
        self.assertContains(response, "kind: chioce", status_code=400)
        self.assertFalse(Evaluation.objects.exists())

    def test_the_form_changes_until_the_first_answer(self):
        evaluation = an_evaluation(self)
        self.sign_in(self.cora)
        url = reverse("evaluations:edit", args=[evaluation.public_id])
        new = form.EXAMPLE.replace("Midpoint evaluation", "Halfway")
        self.assertRedirects(
            self.client.post(url, {"source": new, "version": 1}),
            reverse("evaluations:summary", args=[evaluation.public_id]),
        )
        stale = self.client.post(url, {"source": form.EXAMPLE, "version": 1})
        self.assertContains(stale, "Someone saved this evaluation", status_code=400)
        found = a_round(evaluation, self.partnership)
        asked = selectors.get_round_for_respondent(
            self.theo, evaluation.public_id, self.partnership.public_id, found.key
        )
        services.answer(asked=asked, user=self.theo, answers=ANSWERS, version=None)
        late = self.client.post(url, {"source": form.EXAMPLE, "version": 2})
        self.assertContains(late, "Answers have come in", status_code=400)
        evaluation.refresh_from_db()
        self.assertEqual(evaluation.title, "Halfway")

    def test_closing_is_an_audited_event(self):
        evaluation = an_evaluation(self)
        a_round(evaluation, self.partnership)
        self.sign_in(self.cora)
        url = reverse("evaluations:close", args=[evaluation.public_id])
        self.assertEqual(self.client.get(url).status_code, 405)
        self.client.post(url)
        evaluation.refresh_from_db()
        self.assertEqual(evaluation.status, "closed")
        event = Event.objects.get(action="evaluation.closed")
        self.assertEqual(event.details, {"rounds": 1, "responses": 0})
        self.assertEqual(event.program_id, self.program.pk)
        again = self.client.post(url, follow=True)
        self.assertContains(again, "already closed")

    def test_partners_may_not_see_the_summary(self):
        evaluation = an_evaluation(self)
        url = reverse("evaluations:summary", args=[evaluation.public_id])
        self.sign_in(self.mia)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.sign_in(self.olive)
        self.assertEqual(self.client.get(url).status_code, 404)
