from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact.progress.models import ClosingReview
from mentorpact.progress.tests.base import ProgressTestCase
from mentorpact.progress.tests.test_closing import IMMEDIATE_TASKS


@override_settings(TASKS=IMMEDIATE_TASKS)
class ClosingPageTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.items = list(self.start_plan().items.all())
        self.url = reverse("progress:closing", args=[self.partnership.public_id])

    def outcome_data(self, outcome: str = "met") -> dict:
        data = {}
        for item in self.items:
            data[f"outcome_{item.public_id}"] = outcome
            data[f"evidence_{item.public_id}"] = "Shown in the plan"
        return data

    def post(self, user, url, data):
        self.sign_in(user)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data)

    def test_it_shows_the_end_date_and_a_row_per_goal(self):
        self.sign_in(self.mia)
        response = self.client.get(self.url)
        self.assertContains(response, "1 March 2027")
        self.assertContains(response, "Outcome", count=4)
        self.assertContains(response, "Propose")

    def test_propose_then_confirm_concludes(self):
        data = {**self.outcome_data(), "decision": "conclude", "learning": "Patience."}
        response = self.post(self.mia, self.url, data)
        self.assertRedirects(response, self.url)
        review = ClosingReview.objects.get()
        self.sign_in(self.theo)
        page = self.client.get(self.url)
        self.assertContains(page, "Confirm: conclude the partnership")
        self.assertContains(page, "Patience.")

        confirm = reverse("progress:confirm_closing", args=[self.partnership.public_id])
        data = {**self.outcome_data("partly"), "learning": "Asking for help.", "version": 1}
        response = self.post(self.theo, confirm, data)
        self.assertRedirects(response, self.url)
        review.refresh_from_db()
        self.assertEqual(review.status, "confirmed")
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "concluded")
        page = self.client.get(self.url)
        self.assertContains(page, "Asking for help.")
        self.assertContains(page, "Send Mia a thank-you note")
        self.assertContains(page, "Download the whole record")

    def test_a_missing_outcome_is_shown_beside_its_goal_and_the_conclusion_kept(self):
        data = {**self.outcome_data(), "decision": "conclude", "learning": "Keep me"}
        data[f"outcome_{self.items[3].public_id}"] = ""
        response = self.post(self.mia, self.url, data)
        self.assertContains(response, "Say whether this goal was met.")
        self.assertContains(response, "Keep me")
        self.assertFalse(ClosingReview.objects.exists())

    def test_no_decision_is_refused_beside_the_choice(self):
        response = self.post(self.mia, self.url, {**self.outcome_data(), "learning": "x"})
        self.assertContains(response, "This field is required.")

    def test_ending_early_with_intervention_emails_the_coordinator(self):
        data = {
            **self.outcome_data("not_met"),
            "decision": "end_early",
            "learning": "It did not fit.",
            "outside_intervention": "on",
        }
        self.post(self.theo, self.url, data)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "ended_early")
        self.assertEqual(
            sorted(address for m in mail.outbox for address in m.to),
            ["cora@example.org", "mia@example.org"],
        )

    def test_withdrawing_lets_the_other_propose(self):
        data = {**self.outcome_data(), "decision": "continue", "learning": "x"}
        self.post(self.mia, self.url, data)
        withdraw = reverse("progress:withdraw_closing", args=[self.partnership.public_id])
        response = self.post(self.theo, withdraw, {"version": 1})
        self.assertRedirects(response, self.url)
        self.assertEqual(ClosingReview.objects.get().status, "withdrawn")

    def test_the_coordinator_gets_403_and_get_is_refused_for_confirm(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.sign_in(self.theo)
        confirm = reverse("progress:confirm_closing", args=[self.partnership.public_id])
        self.assertEqual(self.client.get(confirm).status_code, 405)
