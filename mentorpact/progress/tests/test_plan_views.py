"""The plan's actions: start, update an item (page and htmx), complete, commitments, add the
goals of an amendment."""

from django.urls import reverse

from mentorpact.agreement_templates.tests import set_template
from mentorpact.audit.models import Event
from mentorpact.partnerships.services import change_status
from mentorpact.progress.models import ActionPlan, Commitment, PlanItem
from mentorpact.progress.tests.base import ProgressTestCase, install_template, sign_amendment


class PlanItemViewTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.plan = self.start_plan()
        self.item = self.plan.items.get(position=1)
        self.url = reverse(
            "progress:plan_item", args=[self.partnership.public_id, self.item.public_id]
        )
        self.prefix = f"item-{self.item.public_id}-"

    def data(self, version: int = 1, **overrides) -> dict:
        values = {
            "status": "in_progress",
            "action_steps": "Review a paper with Mia",
            "measure": "Mia signs off",
            "owner": "mentee",
            "owner_name": "",
            "due_on": "2027-01-31",
            "progress_note": "Started.",
            "version": version,
        }
        return {self.prefix + key: value for key, value in {**values, **overrides}.items()}

    def post(self, user, data: dict, **headers):
        self.sign_in(user)
        return self.client.post(self.url, data, headers=headers)

    def test_it_saves_and_goes_back_to_the_item_on_the_plan(self):
        response = self.post(self.theo, self.data())
        plan_url = reverse("progress:plan", args=[self.partnership.public_id])
        self.assertRedirects(response, f"{plan_url}#item-{self.item.public_id}")
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.progress_note), ("in_progress", "Started."))
        self.assertTrue(Event.objects.filter(action="progress.item_updated").exists())

    def test_with_htmx_it_returns_the_items_card_only(self):
        response = self.post(self.mia, self.data(), HX_Request="true")
        self.assertContains(response, f'id="item-{self.item.public_id}"')
        self.assertContains(response, "Saved.")
        self.assertNotContains(response, "<html")

    def test_a_stale_save_keeps_the_typed_text_and_says_who_changed_what(self):
        self.post(self.mia, self.data(status="done", progress_note="Mia's note"))
        response = self.post(self.theo, self.data(progress_note="Theo's own words"))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Mia Mentor changed the status", status_code=409)
        self.assertContains(response, "Theo&#x27;s own words", status_code=409)
        # The form now carries the partner's version, so saving again works.
        self.assertContains(response, f'name="{self.prefix}version" value="2"', status_code=409)
        self.item.refresh_from_db()
        self.assertEqual(self.item.progress_note, "Mia's note")

    def test_bad_input_is_shown_beside_the_field_with_the_text_kept(self):
        response = self.post(
            self.theo, self.data(owner="named", owner_name="", due_on="31/31/2027")
        )
        self.assertContains(response, "Enter a valid date.")
        self.assertContains(response, "Started.")
        self.item.refresh_from_db()
        self.assertEqual(self.item.version, 1)

    def test_a_due_date_outside_1970_to_100_years_ahead_is_refused_beside_it(self):
        for due_on, message in (
            ("1800-01-01", "Enter a date from 1 January 1970 on."),
            ("9999-12-31", "Enter a date before the end of"),
        ):
            with self.subTest(due_on=due_on):
                response = self.post(self.theo, self.data(due_on=due_on))
                self.assertContains(response, message)
                self.assertContains(response, "Started.")
        self.item.refresh_from_db()
        self.assertEqual(self.item.version, 1)

    def test_after_closing_the_save_is_refused_and_the_text_kept(self):
        change_status(partnership=self.partnership, to_status="concluded", actor=self.mia)
        response = self.post(self.theo, self.data(progress_note="Late thought"))
        self.assertContains(response, "no longer changed", status_code=409)
        self.assertContains(response, "Late thought", status_code=409)

    def test_get_goes_to_the_plan(self):
        self.sign_in(self.theo)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)

    def test_the_coordinator_gets_403_and_an_outsider_404(self):
        self.assertEqual(self.post(self.cora, self.data()).status_code, 403)
        self.assertEqual(self.post(self.olive, self.data()).status_code, 404)

    def test_an_item_of_another_partnership_is_not_found(self):
        other = self.add_mentees(1)[0]
        url = reverse("progress:plan_item", args=[other.public_id, self.item.public_id])
        self.sign_in(self.mia)
        self.assertEqual(self.client.post(url, self.data()).status_code, 404)


class PlanActionsTest(ProgressTestCase):
    def url(self, name: str) -> str:
        return reverse(f"progress:{name}", args=[self.partnership.public_id])

    def test_start_makes_the_plan_and_returns_to_it(self):
        self.sign()
        self.sign_in(self.mia)
        response = self.client.post(self.url("start_plan"))
        self.assertRedirects(response, self.url("plan"))
        self.assertEqual(ActionPlan.objects.get().created_by, self.mia)

    def test_start_before_signing_says_why(self):
        self.sign_in(self.theo)
        response = self.client.post(self.url("start_plan"), follow=True)
        self.assertContains(response, "Sign the agreement first")
        self.assertFalse(ActionPlan.objects.exists())

    def test_start_refuses_get(self):
        self.sign_in(self.theo)
        self.assertEqual(self.client.get(self.url("start_plan")).status_code, 405)

    def test_complete_says_which_goals_still_need_steps(self):
        self.sign()
        self.start_plan()
        self.sign_in(self.theo)
        response = self.client.post(self.url("complete_plan"), follow=True)
        self.assertContains(response, "Still missing: Goal, Objective 1")

    def test_a_commitment_is_marked_done(self):
        set_template(self.program, install_template("whprms-partnership"))
        self.sign("whprms-partnership")
        self.start_plan()
        commitment = Commitment.objects.get(position=1)
        self.sign_in(self.mia)
        url = reverse(
            "progress:commitment", args=[self.partnership.public_id, commitment.public_id]
        )
        response = self.client.post(url, {"done": "on", "version": 1})
        self.assertRedirects(response, self.url("plan") + "#commitments")
        commitment.refresh_from_db()
        self.assertEqual(commitment.done_by, self.mia)

    def test_the_goals_of_a_signed_amendment_are_added_once(self):
        self.sign()
        self.start_plan()
        objectives = [
            "Review two papers with Mia's comments",
            "Write one review alone",
            "Chair a panel",
        ]
        sign_amendment(self.partnership, {"mentee": {"objectives": objectives}})
        self.sign_in(self.theo)
        page = self.client.get(self.url("plan"))
        self.assertContains(page, "Add the amended agreement")
        response = self.client.post(self.url("add_goals"), follow=True)
        self.assertContains(response, "1 goals of the amended agreement added")
        # goal is encrypted at rest: count the decrypted goals, not a filter on the column.
        self.assertEqual([item.goal for item in PlanItem.objects.all()].count("Chair a panel"), 1)
        self.client.post(self.url("add_goals"))
        self.assertEqual(PlanItem.objects.count(), 5)
        self.assertEqual(ActionPlan.objects.get().source_version, 2)
