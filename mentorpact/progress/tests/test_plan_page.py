from django.urls import reverse

from mentorpact.agreement_templates.tests import set_template
from mentorpact.partnerships.services import change_status
from mentorpact.progress.models import ActionPlan, PlanItem
from mentorpact.progress.tests.base import ProgressTestCase, hold_meetings


class PlanPageTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("progress:plan", args=[self.partnership.public_id])

    def get(self, user):
        self.sign_in(user)
        return self.client.get(self.url)

    def test_before_signing_it_says_the_plan_comes_from_the_signed_agreement(self):
        response = self.get(self.theo)
        self.assertContains(response, "made from the goals of the signed agreement")
        self.assertNotContains(response, "Start the action plan")

    def test_after_signing_it_previews_the_goals_and_offers_to_start(self):
        self.sign()
        response = self.get(self.mia)
        self.assertContains(response, "Become a confident peer reviewer.")
        self.assertContains(response, "Join a journal&#x27;s reviewer pool")
        self.assertContains(response, "Start the action plan")

    def test_it_shows_each_goal_with_its_form(self):
        self.sign()
        self.start_plan()
        response = self.get(self.theo)
        self.assertContains(response, 'class="card plan-item"', count=4)
        self.assertContains(response, "Update this goal", count=4)
        self.assertContains(response, "Mark the plan complete")

    def test_red_shows_the_plan_is_due_by_the_second_meeting(self):
        from mentorpact.progress.tests.base import install_template

        set_template(self.program, install_template("red-peer-mentoring"))
        self.sign("red-peer-mentoring")
        self.start_plan()
        hold_meetings(self.partnership, 1)
        response = self.get(self.theo)
        self.assertContains(response, "Due by the end of meeting 2")
        self.assertContains(response, "1 of 2 meetings held")
        hold_meetings(self.partnership, 2)
        response = self.get(self.theo)
        self.assertContains(response, "so the plan is overdue")

    def test_after_closing_it_is_read_only(self):
        self.sign()
        self.start_plan()
        change_status(partnership=self.partnership, to_status="concluded", actor=self.mia)
        response = self.get(self.theo)
        self.assertContains(response, "no longer changed")
        self.assertNotContains(response, "Update this goal")
        self.assertNotContains(response, "Mark the plan complete")

    def test_the_coordinator_is_refused_and_an_outsider_is_not_told_it_exists(self):
        self.sign()
        self.assertEqual(self.get(self.cora).status_code, 403)
        self.assertEqual(self.get(self.olive).status_code, 404)

    def test_its_query_count_does_not_grow_with_the_goals(self):
        self.sign()
        plan = self.start_plan()
        self.sign_in(self.theo)
        with self.assertNumQueries(12) as first:
            self.client.get(self.url)
        PlanItem.objects.bulk_create(
            PlanItem(plan=plan, position=10 + n, goal=f"Extra goal {n}", updated_by=self.mia)
            for n in range(8)
        )
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(self.url)
        self.assertContains(response, 'class="card plan-item"', count=12)
        self.assertEqual(ActionPlan.objects.count(), 1)
