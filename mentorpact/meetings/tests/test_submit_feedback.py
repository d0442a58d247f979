from django.core.exceptions import PermissionDenied

from mentorpact.meetings import services
from mentorpact.meetings.models import Feedback, Meeting
from mentorpact.meetings.selectors import meeting_terms
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import MeetingsTestCase

ANSWERS = ["Very useful: we fixed my budget", "More drafting", "Calmer", "Write every morning"]


class SubmitFeedbackTest(MeetingsTestCase):
    def submit(self, meeting, user=None, **overrides):
        arguments = {
            "meeting": meeting,
            "user": user or self.theo,
            "answers": ANSWERS,
            "shared_with_partner": False,
        }
        return services.submit_feedback(**(arguments | overrides))

    def test_the_mentee_answers_the_pilots_four_questions(self):
        feedback = self.submit(self.held())

        feedback = Feedback.objects.get(pk=feedback.pk)
        self.assertEqual((feedback.author, feedback.role), (self.theo, "mentee"))
        self.assertEqual(
            [a["question"] for a in feedback.answers],
            list(meeting_terms(self.partnership).feedback_questions()),
        )
        self.assertEqual([a["answer"] for a in feedback.answers], ANSWERS)
        self.assertFalse(feedback.shared_with_partner)
        self.assertNotIn("budget", feedback.answers_token)

    def test_answering_again_changes_the_answers_and_the_sharing(self):
        meeting = self.held()
        first = self.submit(meeting)

        self.submit(
            meeting,
            answers=["Changed", "", "", ""],
            shared_with_partner=True,
            based_on_version=first.version,
        )

        feedback = Feedback.objects.get()
        self.assertEqual(feedback.answers[0]["answer"], "Changed")
        self.assertTrue(feedback.shared_with_partner)
        self.assertEqual(feedback.version, 2)

    def test_at_least_one_answer_is_needed(self):
        with self.assertRaises(MeetingError) as caught:
            self.submit(self.held(), answers=["", " ", "", ""])

        self.assertEqual(caught.exception.field, "answer_0")
        self.assertFalse(Feedback.objects.exists())

    def test_no_feedback_on_a_cancelled_meeting(self):
        meeting = self.schedule()
        services.cancel_meeting(meeting=meeting, user=self.mia, based_on_version=1, reason="Ill")

        with self.assertRaises(MeetingError) as caught:
            self.submit(meeting)

        self.assertIn(
            "was cancelled: there is no session to give feedback on", caught.exception.message
        )
        self.assertFalse(Feedback.objects.exists())

    def test_no_feedback_before_the_meeting_is_recorded_as_held(self):
        with self.assertRaises(MeetingError) as caught:
            self.submit(self.schedule())

        self.assertIn("once the meeting is recorded as held", caught.exception.message)

    def test_the_mentor_is_not_asked_unless_the_program_says_so(self):
        meeting = self.held()

        with self.assertRaises(MeetingError) as caught:
            self.submit(meeting, user=self.mia)
        self.assertIn("asks the mentee for feedback", caught.exception.message)

        self.program.rules = {"feedback_from": ["mentee", "mentor"]}
        self.program.save()
        feedback = self.submit(Meeting.objects.get(pk=meeting.pk), user=self.mia)
        self.assertEqual(feedback.role, "mentor")

    def test_the_program_questions_replace_the_default(self):
        self.program.rules = {"feedback_questions": ["What did you learn?"]}
        self.program.save()

        feedback = self.submit(self.held(), answers=["Patience"])

        self.assertEqual(
            feedback.answers, [{"question": "What did you learn?", "answer": "Patience"}]
        )

    def test_the_coordinator_cannot_answer(self):
        with self.assertRaises(PermissionDenied):
            self.submit(self.held(), user=self.cora)

    def test_no_feedback_after_closing(self):
        meeting = self.held()
        self.close_partnership()

        with self.assertRaises(MeetingError):
            self.submit(meeting)
