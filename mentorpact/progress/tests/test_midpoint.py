"""The midpoint check: each partner reviews every goal and says whether to change course; a
change of course drafts an agreement amendment through the agreements app."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mentorpact.agreements.models import AgreementVersion
from mentorpact.audit.models import Event
from mentorpact.partnerships.services import change_status
from mentorpact.progress import services
from mentorpact.progress.models import MidpointReview
from mentorpact.progress.tests.base import ProgressTestCase


class SubmitMidpointReviewTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.items = list(self.start_plan().items.all())

    def answers(self, assessment: str = "on_track") -> dict:
        return {
            str(item.public_id): {"assessment": assessment, "comment": f"On {item.source_label}"}
            for item in self.items
        }

    def submit(self, user, **overrides) -> MidpointReview:
        arguments = {
            "partnership": self.partnership,
            "actor": user,
            "answers": self.answers(),
            "overall": "Going well.",
            "change_course": False,
        }
        return services.submit_midpoint_review(**{**arguments, **overrides})

    def test_each_partner_reviews_every_goal(self):
        self.submit(self.theo)
        self.submit(self.mia, answers=self.answers("behind"))
        reviews = {r.role: r for r in MidpointReview.objects.all()}
        self.assertEqual(set(reviews), {"mentor", "mentee"})
        first = str(self.items[0].public_id)
        self.assertEqual(reviews["mentor"].answers[first]["assessment"], "behind")
        self.assertEqual(reviews["mentee"].answers[first]["comment"], "On Goal")
        event = Event.objects.filter(action="progress.midpoint_submitted").first()
        self.assertEqual(event.details, {"role": "mentee", "goals": 4, "change_course": False})

    def test_every_goal_needs_an_assessment(self):
        answers = self.answers()
        del answers[str(self.items[2].public_id)]
        with self.assertRaises(ValidationError) as invalid:
            self.submit(self.theo, answers=answers)
        self.assertEqual(
            list(invalid.exception.message_dict), [f"assessment_{self.items[2].public_id}"]
        )
        self.assertFalse(MidpointReview.objects.exists())

    def test_changing_course_drafts_an_amendment_of_the_agreement(self):
        review = self.submit(self.theo, change_course=True, change_note="Swap objective 3.")
        self.assertEqual(review.amendment_number, 2)
        draft = AgreementVersion.objects.get(status="draft")
        self.assertTrue(draft.is_amendment)
        self.assertTrue(Event.objects.filter(action="agreement.amendment_proposed").exists())
        self.assertEqual(
            Event.objects.get(action="progress.course_change").details, {"amendment": 2}
        )

    def test_both_changing_course_share_one_amendment(self):
        self.submit(self.theo, change_course=True, change_note="Swap objective 3.")
        review = self.submit(self.mia, change_course=True, change_note="Agreed.")
        self.assertEqual(review.amendment_number, 2)
        self.assertEqual(AgreementVersion.objects.filter(status="draft").count(), 1)

    def test_changing_course_needs_to_say_what(self):
        with self.assertRaises(ValidationError) as invalid:
            self.submit(self.theo, change_course=True, change_note="")
        self.assertIn("change_note", invalid.exception.message_dict)

    def test_a_second_review_by_the_same_partner_is_refused(self):
        self.submit(self.theo)
        with self.assertRaisesMessage(services.ProgressError, "already submitted"):
            self.submit(self.theo)

    def test_the_coordinator_cannot_review(self):
        with self.assertRaises(PermissionDenied):
            self.submit(self.cora)

    def test_it_is_refused_after_closing(self):
        change_status(partnership=self.partnership, to_status="concluded", actor=self.mia)
        with self.assertRaisesMessage(services.ProgressError, "no longer changed"):
            self.submit(self.theo)


class MidpointPageTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("progress:midpoint", args=[self.partnership.public_id])

    def form_data(self, items, **extra) -> dict:
        data = {f"assessment_{item.public_id}": "on_track" for item in items}
        return {"overall": "Fine", "change_course": "no", **data, **extra}

    def test_before_signing_it_says_the_check_comes_after(self):
        self.sign_in(self.theo)
        self.assertContains(self.client.get(self.url), "Once you have both signed it")

    def test_it_shows_the_midpoint_date_and_a_row_per_goal(self):
        self.sign()
        self.start_plan()
        self.sign_in(self.theo)
        response = self.client.get(self.url)
        self.assertContains(response, "30 November 2026")
        self.assertContains(response, "How is it going?", count=4)

    def test_submitting_starts_the_plan_if_needed_and_records_the_review(self):
        self.sign()
        plan = self.start_plan()
        self.sign_in(self.mia)
        response = self.client.post(self.url, self.form_data(plan.items.all()))
        self.assertRedirects(response, self.url)
        self.assertEqual(MidpointReview.objects.get().author, self.mia)
        page = self.client.get(self.url)
        self.assertContains(page, "You have submitted your review.")
        self.assertContains(page, "The mentor's review")

    def test_a_missing_assessment_is_shown_beside_its_goal_with_the_rest_kept(self):
        self.sign()
        items = list(self.start_plan().items.all())
        data = self.form_data(items[1:], overall="Keep this text")
        self.sign_in(self.theo)
        response = self.client.post(self.url, data)
        self.assertContains(response, "Say how this goal is going.")
        self.assertContains(response, "Keep this text")
        self.assertFalse(MidpointReview.objects.exists())

    def test_changing_course_goes_to_the_amendment(self):
        self.sign()
        plan = self.start_plan()
        self.sign_in(self.theo)
        data = self.form_data(plan.items.all(), change_course="yes", change_note="New goal")
        response = self.client.post(self.url, data)
        self.assertRedirects(
            response,
            reverse("agreements:agreement", args=[self.partnership.public_id]),
            fetch_redirect_response=False,
        )

    def test_the_coordinator_gets_403(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url).status_code, 403)
