from mentorpact.meetings import services
from mentorpact.meetings.models import Feedback
from mentorpact.meetings.tests.base import MeetingsTestCase

FORM = {
    "answer_0": "Useful: the budget is clear now",
    "answer_1": "More on writing",
    "answer_2": "",
    "answer_3": "Start earlier",
}


class FeedbackViewTest(MeetingsTestCase):
    def setUp(self):
        super().setUp()
        self.meeting = self.held()

    def post(self, data=None, user=None, **kwargs):
        self.sign_in(user or self.theo)
        return self.client.post(self.url("feedback", self.meeting), data or FORM, **kwargs)

    def test_the_form_asks_the_four_questions_with_labels(self):
        self.sign_in(self.theo)

        response = self.client.get(self.url("feedback", self.meeting))

        self.assertContains(response, '<label for="id_answer_0">1. How useful was our meeting')
        self.assertContains(response, "4. Are you doing/do you plan to try out")
        self.assertContains(response, "Let my partner see my answers")

    def test_the_mentee_answers_privately_and_the_partner_does_not_see_them(self):
        response = self.post()

        self.assertRedirects(response, self.url("detail", self.meeting) + "#feedback")
        feedback = Feedback.objects.get()
        self.assertEqual(feedback.answers[0]["answer"], "Useful: the budget is clear now")
        self.assertFalse(feedback.shared_with_partner)
        self.sign_in(self.mia)
        self.assertNotContains(self.client.get(self.url("detail", self.meeting)), "budget is clear")

    def test_shared_answers_are_shown_to_the_partner(self):
        self.post({**FORM, "shared_with_partner": "on"})

        self.sign_in(self.mia)
        response = self.client.get(self.url("detail", self.meeting))

        self.assertContains(response, "Theo Mentee's feedback")
        self.assertContains(response, "Useful: the budget is clear now")

    def test_answering_again_starts_from_the_saved_answers(self):
        self.post()
        self.sign_in(self.theo)

        form = self.client.get(self.url("feedback", self.meeting)).context["form"]
        self.assertEqual(form.initial["answer_3"], "Start earlier")

        self.post({**FORM, "answer_3": "Start now", "version": "1"})
        self.assertEqual(Feedback.objects.get().answers[3]["answer"], "Start now")

    def test_no_answers_is_refused_beside_the_first_question(self):
        response = self.post(dict.fromkeys(FORM, ""))

        self.assertContains(response, 'id="id_answer_0_error"')
        self.assertFalse(Feedback.objects.exists())

    def test_a_cancelled_meeting_has_no_feedback_form(self):
        cancelled = self.schedule()
        services.cancel_meeting(meeting=cancelled, user=self.mia, based_on_version=1, reason="Ill")
        self.sign_in(self.theo)

        page = self.client.get(self.url("feedback", cancelled))
        self.assertContains(
            page, "This meeting was cancelled: there is no session to give feedback on."
        )
        self.assertNotContains(page, "<textarea")

        response = self.client.post(self.url("feedback", cancelled), FORM)
        self.assertContains(response, "there is no session to give feedback on")
        self.assertContains(response, "Useful: the budget is clear now</textarea>")
        self.assertFalse(Feedback.objects.exists())

    def test_the_mentor_is_told_the_program_asks_the_mentee(self):
        self.sign_in(self.mia)

        response = self.client.get(self.url("feedback", self.meeting))

        self.assertContains(
            response, "Your program asks the mentee for feedback after each session."
        )
        self.assertNotContains(response, "<textarea")

    def test_htmx_gets_the_form_or_a_client_redirect(self):
        refused = self.post(dict.fromkeys(FORM, ""), headers=self.htmx())
        self.assertNotContains(refused, "<html")
        self.assertContains(refused, 'id="id_answer_0_error"')

        done = self.post(headers=self.htmx())
        self.assertEqual(done["HX-Redirect"], self.url("detail", self.meeting) + "#feedback")

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.assertEqual(self.post(user=person).status_code, status)
        self.assertFalse(Feedback.objects.exists())
