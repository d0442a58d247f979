"""An evaluation asked at the midpoint is due from each partner: listed in "due next" from two
weeks before, kept as a due row and a Round row, reminded on the day it opens to whoever has
not answered, gone for a partner once they answer and for both once it is closed."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.core import mail
from django.urls import reverse

from mentorpact.evaluations import form, selectors, services
from mentorpact.evaluations.models import Round
from mentorpact.events import services as event_services
from mentorpact.progress import reminders
from mentorpact.progress.models import DueEntry, Reminder
from mentorpact.progress.tests.base import TODAY as TODAY_AT
from mentorpact.progress.tests.base import ProgressTestCase

ANSWERS = {"useful": "4", "format": "Online"}
MIDPOINT = date(2026, 11, 30)  # ASPE's six months from 1 September 2026


class EvaluationDueTest(ProgressTestCase):
    def setUp(self):
        super().setUp()
        self.sign()
        self.evaluation = services.create_evaluation(
            program=self.program, actor=self.cora, source=form.EXAMPLE
        )

    def due_titles(self, user) -> list[str]:
        self.sign_in(user)
        page = self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))
        return [i.title for i in page.context["due"]]

    def test_the_midpoint_round_reaches_both_partners(self):
        found = Round.objects.get()
        self.assertEqual((found.partnership, found.key), (self.partnership, "midpoint"))
        self.assertEqual((found.opens_on, found.closes_on), (MIDPOINT, date(2026, 12, 20)))
        entry = DueEntry.objects.get(kind="evaluation", done_at__isnull=True)
        self.assertEqual((entry.due_on, entry.remind_roles), (date(2026, 12, 20), "mentor mentee"))
        self.assertIn("Evaluation: Midpoint evaluation", self.due_titles(self.theo))
        self.assertIn("Evaluation: Midpoint evaluation", self.due_titles(self.mia))

    def test_reminded_on_the_day_it_opens_to_whoever_has_not_answered(self):
        with time_machine.travel(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), tick=False):
            reminders.plan_reminders()
            self.assertFalse(Reminder.objects.filter(kind="evaluation").exists())
        with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), tick=False):
            asked = selectors.get_round_for_respondent(
                self.theo, self.evaluation.public_id, self.partnership.public_id, "midpoint"
            )
            services.answer(asked=asked, user=self.theo, answers=ANSWERS, version=None)
            reminders.plan_reminders()
            self.assertEqual(
                list(
                    Reminder.objects.filter(kind="evaluation").values_list(
                        "recipient__email", flat=True
                    )
                ),
                ["mia@example.org"],
            )
            reminders.send_due_reminders(worker="test")
        sent = [m for m in mail.outbox if "evaluation" in m.subject]  # the midpoint check too
        self.assertEqual([m.to for m in sent], [["mia@example.org"]])
        self.assertIn("Midpoint evaluation", sent[0].subject)
        self.assertIn("confidential", sent[0].body)
        self.assertNotIn("Online", sent[0].body)

    def test_answered_by_both_or_closed_it_is_no_longer_due(self):
        entry = DueEntry.objects.get(kind="evaluation")
        with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
            for user in (self.theo, self.mia):
                asked = selectors.get_round_for_respondent(
                    user, self.evaluation.public_id, self.partnership.public_id, "midpoint"
                )
                services.answer(asked=asked, user=user, answers=ANSWERS, version=None)
        entry.refresh_from_db()
        self.assertIsNotNone(entry.done_at)
        other = services.create_evaluation(
            program=self.program,
            actor=self.cora,
            source=form.EXAMPLE.replace("Midpoint evaluation", "Second"),
        )
        self.assertTrue(DueEntry.objects.filter(kind="evaluation", done_at__isnull=True).exists())
        services.close_evaluation(evaluation=other, actor=self.cora)
        self.assertFalse(DueEntry.objects.filter(kind="evaluation", done_at__isnull=True).exists())
        self.assertNotIn("Evaluation: Second", self.due_titles(self.theo))

    def test_the_coordinator_sees_the_item_without_its_link(self):
        self.sign_in(self.cora)
        page = self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))
        items = [i for i in page.context["due"] if i.kind == "evaluation"]
        self.assertEqual([i.url for i in items], [""])


class RequiredEventDueTest(ProgressTestCase):
    def create(self, *, required: bool, roles: list[str], title: str = "Training"):
        starts = TODAY_AT + timedelta(days=10)
        return event_services.create_event(
            program=self.program,
            actor=self.cora,
            details=event_services.EventDetails(
                title=title,
                description="",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                time_zone="UTC",
                place="Room 2",
                capacity=None,
                invited_roles=roles,
                required=required,
            ),
        )

    def test_a_required_event_is_due_next_for_the_pair_until_it_is_over(self):
        self.create(required=True, roles=["mentee"])
        self.create(required=False, roles=["mentor", "mentee"], title="Drinks")
        self.sign_in(self.mia)
        page = self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))
        items = [i for i in page.context["due"] if i.kind == "event"]
        self.assertEqual([i.title for i in items], ["Required event: Training"])
        self.assertIn("required of the mentee", items[0].detail)
        self.assertEqual(items[0].due_on, (TODAY_AT + timedelta(days=10)).date())
        entry = DueEntry.objects.get(kind="event")
        self.assertIsNone(entry.done_at)
        with time_machine.travel(TODAY_AT + timedelta(days=11), tick=False):
            page = self.client.get(
                reverse("partnerships:detail", args=[self.partnership.public_id])
            )
        self.assertFalse([i for i in page.context["due"] if i.kind == "event"])
