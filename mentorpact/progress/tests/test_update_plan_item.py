import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from mentorpact.audit.models import Event
from mentorpact.partnerships.services import change_status
from mentorpact.progress import services
from mentorpact.progress.models import PlanItem
from mentorpact.progress.tests.base import ProgressTestCase


def changes(**overrides) -> services.ItemChanges:
    values = {
        "status": "in_progress",
        "action_steps": "Read the reviewer guide\nReview a paper with Mia",
        "measure": "Mia signs off my review",
        "owner": "mentee",
        "owner_name": "",
        "due_on": datetime.date(2027, 1, 31),
        "progress_note": "Guide read.",
    }
    return services.ItemChanges(**{**values, **overrides})


class UpdatePlanItemTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.item = self.start_plan().items.get(position=1)

    def update(self, user, based_on: int = 1, **overrides) -> PlanItem:
        return services.update_plan_item(
            item=PlanItem.objects.select_related("plan__agreement").get(pk=self.item.pk),
            actor=user,
            changes=changes(**overrides),
            based_on_version=based_on,
        )

    def test_a_partner_saves_steps_owner_due_date_status_and_progress(self):
        self.update(self.theo)
        self.item.refresh_from_db()
        self.assertEqual(self.item.status, "in_progress")
        self.assertEqual(self.item.steps, ["Read the reviewer guide", "Review a paper with Mia"])
        self.assertEqual(self.item.due_on, datetime.date(2027, 1, 31))
        self.assertEqual((self.item.version, self.item.updated_by), (2, self.theo))

    def test_the_mentor_sees_and_updates_the_same_item(self):
        self.update(self.theo)
        self.update(self.mia, based_on=2, status="done")
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.version), ("done", 3))

    def test_it_records_the_status_change_and_the_fields_changed_without_text(self):
        self.update(self.theo)
        event = Event.objects.get(action="progress.item_updated")
        self.assertEqual(event.details["plan_item_id"], self.item.pk)
        self.assertEqual(event.details["from_status"], "not_started")
        self.assertEqual(event.details["to_status"], "in_progress")
        self.assertIn("action_steps", event.details["fields"])
        self.assertNotIn("Read the reviewer guide", str(event.details))

    def test_a_stale_save_is_refused_with_who_changed_what(self):
        self.update(self.mia, status="done", progress_note="Done already.")
        with self.assertRaises(services.StaleEdit) as refused:
            self.update(self.theo, based_on=1, progress_note="My own note")
        message = refused.exception.message
        self.assertIn("Mia Mentor changed the status", message)
        self.assertIn("the progress note", message)
        self.assertIn("Your text is kept below", message)
        self.item.refresh_from_db()
        self.assertEqual(self.item.progress_note, "Done already.")
        self.assertEqual(refused.exception.current.version, 2)

    def test_a_named_owner_needs_a_name(self):
        with self.assertRaises(ValidationError) as invalid:
            self.update(self.theo, owner="named", owner_name=" ")
        self.assertIn("owner_name", invalid.exception.message_dict)
        self.item.refresh_from_db()
        self.assertEqual(self.item.version, 1)

    def test_an_unknown_status_is_refused(self):
        with self.assertRaises(ValidationError):
            self.update(self.theo, status="finished")

    def test_the_coordinator_cannot_update_it(self):
        with self.assertRaises(PermissionDenied):
            self.update(self.cora)

    def test_after_closing_nothing_changes(self):
        change_status(partnership=self.partnership, to_status="ended_early", actor=self.mia)
        with self.assertRaisesMessage(services.ProgressError, "no longer changed"):
            self.update(self.theo)
        self.item.refresh_from_db()
        self.assertEqual((self.item.status, self.item.version), ("not_started", 1))


class CompleteActionPlanTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.plan = self.start_plan()

    def fill_in(self, *, skip: int | None = None) -> None:
        for item in self.plan.items.all():
            if item.position == skip:
                continue
            services.update_plan_item(
                item=item, actor=self.theo, changes=changes(), based_on_version=item.version
            )

    def test_it_needs_steps_and_a_due_date_for_every_goal_pursued(self):
        self.fill_in(skip=2)
        with self.assertRaisesMessage(services.ProgressError, "Still missing: Objective 2."):
            services.complete_action_plan(plan=self.plan, actor=self.theo)
        self.plan.refresh_from_db()
        self.assertIsNone(self.plan.completed_at)

    def test_a_dropped_goal_needs_nothing(self):
        self.fill_in(skip=2)
        item = self.plan.items.get(position=2)
        services.update_plan_item(
            item=item,
            actor=self.mia,
            changes=changes(status="dropped", action_steps="", due_on=None),
            based_on_version=1,
        )
        services.complete_action_plan(plan=self.plan, actor=self.theo)
        self.assertIsNotNone(self.plan.completed_at)

    def test_it_records_how_many_meetings_were_held_and_whether_on_time(self):
        from mentorpact.progress.tests.base import hold_meetings

        self.fill_in()
        hold_meetings(self.partnership, 2)
        services.complete_action_plan(plan=self.plan, actor=self.theo)
        self.plan.refresh_from_db()
        self.assertEqual(
            (self.plan.completed_by, self.plan.completed_after_meetings), (self.theo, 2)
        )
        event = Event.objects.get(action="progress.plan_completed")
        self.assertEqual(event.details, {"meetings_held": 2, "by_meeting": None, "on_time": None})

    def test_completing_it_twice_is_refused(self):
        self.fill_in()
        services.complete_action_plan(plan=self.plan, actor=self.theo)
        with self.assertRaisesMessage(services.ProgressError, "already marked complete"):
            services.complete_action_plan(plan=self.plan, actor=self.mia)
