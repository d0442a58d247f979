"""The partnership page: what is due next at the top, and the merged timeline, with nothing
the partners wrote shown to the coordinator."""

import datetime

from django.urls import reverse

from mentorpact.agreement_templates.tests import set_template
from mentorpact.audit import services as audit
from mentorpact.progress import services
from mentorpact.progress.models import PlanItem, ProgressAction
from mentorpact.progress.tests.base import (
    ProgressTestCase,
    hold_meetings,
    install_template,
)

CANARY = "CANARY-goal-text-7f3a"


class PartnershipPageTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("partnerships:detail", args=[self.partnership.public_id])

    def get(self, user):
        self.sign_in(user)
        return self.client.get(self.url)

    def test_before_signing_the_agreement_is_due(self):
        response = self.get(self.theo)
        self.assertContains(response, "Due next")
        self.assertContains(response, "Signed agreement due")
        self.assertContains(response, "After signing")  # the plan comes after signing

    def test_after_signing_it_shows_the_midpoint_and_the_end_date_in_order(self):
        self.sign()
        response = self.get(self.mia)
        content = response.content.decode()
        self.assertNotIn("Signed agreement due", content)
        midpoint = content.index("Midpoint check</a>")
        end = content.index("End date: closing review")
        self.assertLess(midpoint, end)
        self.assertContains(response, "30 Nov 2026")
        self.assertContains(response, "1 Mar 2027")

    def test_red_shows_the_action_plan_due_by_the_second_meeting(self):
        set_template(self.program, install_template("red-peer-mentoring"))
        self.sign("red-peer-mentoring")
        hold_meetings(self.partnership, 2, datetime.datetime(2026, 9, 20, tzinfo=datetime.UTC))
        response = self.get(self.theo)
        self.assertContains(response, "Action plan due by the end of meeting 2")
        self.assertContains(response, "2 of 2 meetings held.")
        self.assertContains(response, "Contact overdue")  # last contact 20 Sep, once a month

    def test_the_timeline_merges_partnership_agreement_and_progress_events_in_order(self):
        self.sign()
        self.start_plan()
        content = self.get(self.theo).content.decode()
        order = [
            "Partnership created",
            "Signed as the mentee",
            "Agreement in effect: version 1",
            "Status changed: Agreement in effect",
            "Action plan started: 4 goals",
        ]
        positions = [content.index(text) for text in order]
        self.assertEqual(positions, sorted(positions))

    def test_partners_see_goal_text_on_the_timeline_and_the_coordinator_never_does(self):
        self.sign(mentee={"goal": f"Goal with {CANARY}"})
        plan = self.start_plan()
        item = plan.items.get(position=0)
        services.update_plan_item(
            item=item,
            actor=self.theo,
            changes=services.ItemChanges(
                status="done",
                action_steps=f"Step {CANARY}",
                measure="",
                owner="mentee",
                owner_name="",
                due_on=None,
                progress_note=CANARY,
            ),
            based_on_version=1,
        )
        self.assertContains(self.get(self.theo), f"“Goal with {CANARY}”: done")
        coordinator_page = self.get(self.cora)
        self.assertContains(coordinator_page, "A plan item: done")
        self.assertNotContains(coordinator_page, CANARY)
        self.assertContains(coordinator_page, "Done: 1")  # counts by status

    def test_the_query_count_does_not_grow_with_the_entries(self):
        self.sign()
        plan = self.start_plan()
        before = {}
        for person in (self.cora, self.theo):
            self.sign_in(person)
            before[person.pk] = len(self.queries_for_page())
        items = list(plan.items.all())
        for n in range(30):
            audit.record(
                ProgressAction.ITEM_UPDATED,
                on=self.partnership,
                actor=self.mia,
                plan_item_id=items[n % 4].pk,
                from_status="not_started",
                to_status="in_progress",
            )
        PlanItem.objects.filter(plan=plan).update(updated_by=self.mia)
        for person in (self.cora, self.theo):
            self.sign_in(person)
            with self.subTest(person.full_name), self.assertNumQueries(before[person.pk]):
                response = self.client.get(self.url)
            # Created, drafted, two signatures, in effect, active, plan started; then 30 more.
            self.assertContains(response, "<li><time", count=7 + 30)

    def queries_for_page(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.client.get(self.url)
        return captured.captured_queries
