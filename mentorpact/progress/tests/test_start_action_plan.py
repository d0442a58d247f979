from django.core.exceptions import PermissionDenied

from mentorpact.agreement_templates.tests import set_template
from mentorpact.audit.models import Event
from mentorpact.partnerships.services import change_status
from mentorpact.progress import services
from mentorpact.progress.models import ActionPlan, Commitment, PlanItem
from mentorpact.progress.tests.base import ProgressTestCase, install_template


class StartActionPlanTest(ProgressTestCase):
    def test_it_turns_the_signed_agreements_goals_into_plan_items(self):
        version = self.sign()
        plan = self.start_plan()

        self.assertEqual(plan.agreement, version.agreement)
        self.assertEqual(plan.source_version, version.number)
        items = list(plan.items.order_by("position"))
        self.assertEqual([i.source_label for i in items][:2], ["Goal", "Objective 1"])
        self.assertEqual({i.status for i in items}, {PlanItem.Status.NOT_STARTED})
        self.assertEqual({i.owner for i in items}, {PlanItem.Owner.MENTEE})

    def test_it_is_refused_before_the_agreement_is_signed(self):
        with self.assertRaisesMessage(services.ProgressError, "Sign the agreement first"):
            self.start_plan()
        self.assertFalse(ActionPlan.objects.exists())

    def test_starting_it_twice_gives_the_same_plan(self):
        self.sign()
        first = self.start_plan()
        second = services.start_action_plan(partnership=self.partnership, actor=self.mia)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(PlanItem.objects.count(), 4)

    def test_it_records_an_event_with_counts_only(self):
        self.sign()
        self.start_plan()
        event = Event.objects.get(
            action__startswith="progress.",
        )
        self.assertEqual(event.kind, "plan_started")
        self.assertEqual(event.actor, self.theo)
        self.assertEqual(
            event.details, {"agreement": 1, "version": 1, "items": 4, "commitments": 0}
        )

    def test_red_items_start_owned_by_the_person_the_agreement_names(self):
        set_template(self.program, install_template("red-peer-mentoring"))
        self.sign("red-peer-mentoring")
        item = self.start_plan().items.get()
        self.assertEqual((item.owner, item.owner_name), ("named", "Theo Mentee"))

    def test_whprms_commitments_are_tracked(self):
        set_template(self.program, install_template("whprms-partnership"))
        self.sign("whprms-partnership")
        self.start_plan()
        self.assertEqual(
            list(Commitment.objects.values_list("opportunity", "done_at")),
            [("The annual WHPRMS conference", None), ("A claims committee meeting", None)],
        )

    def test_the_coordinator_and_outsiders_cannot_start_it(self):
        self.sign()
        for person in (self.cora, self.olive):
            with self.subTest(person.full_name), self.assertRaises(PermissionDenied):
                services.start_action_plan(partnership=self.partnership, actor=person)

    def test_it_is_refused_after_closing(self):
        self.sign()
        change_status(partnership=self.partnership, to_status="concluded", actor=self.mia)
        with self.assertRaisesMessage(services.ProgressError, "This partnership has"):
            self.start_plan()
