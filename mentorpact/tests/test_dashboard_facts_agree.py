"""The dashboard's fact rows agree with the records, whatever happened, on any later day.

Hypothesis plays the partnership histories of workspace/tests/test_due_agrees.py (days
passing, the agreement drafted and signed, meetings held, the action plan started, the
partnership ended) through the services, which keep the fact rows (dashboard.facts, through
progress.signals.due_refreshed). At the end of each history, and then 30 and 200 days later
with no write in between, every bar of every pair-based figure (selectors.BARS) counts the
pair exactly when the same condition over facts computed from scratch from the records (a
subquery a fact, as the dashboard read them before it had fact rows) holds for it.
(Here, not in dashboard/tests: it plays workspace's histories, and dashboard may not import
workspace.)
"""

import contextlib
import os
from datetime import UTC, timedelta

import time_machine
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements.models import Agreement
from mentorpact.dashboard import selectors
from mentorpact.dashboard.models import PairFacts
from mentorpact.dashboard.selectors import BARS, Filters
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships.models import Partnership
from mentorpact.progress.models import ActionPlan, DueEntry
from mentorpact.progress.tests.base import install_template
from mentorpact.workspace.tests import test_due_agrees as due


def from_records(program_id: int, today) -> QuerySet[Partnership]:
    """The program's partnerships with each fact computed from the records themselves."""

    def among(rows) -> ExpressionWrapper:
        return ExpressionWrapper(
            Q(pk__in=rows.values("partnership_id")), output_field=BooleanField()
        )

    agreements = Agreement.objects.filter(partnership__program_id=program_id)
    first_signed = agreements.filter(number=1, in_effect_since__isnull=False)
    first_late = first_signed.annotate(day=TruncDate("in_effect_since", tzinfo=UTC)).filter(
        due_on__isnull=False, day__gt=F("due_on")
    )
    open_rows = DueEntry.objects.filter(program_id=program_id, done_at__isnull=True)
    overdue = open_rows.filter(overdue_on__lte=today)
    plans = ActionPlan.objects.filter(partnership__program_id=program_id)
    held = Meeting.objects.filter(partnership__program_id=program_id, status=Meeting.Status.HELD)
    return (
        Partnership.objects.filter(program_id=program_id)
        .exclude(status=Partnership.Status.UNPAIRED)
        .annotate(
            signed=among(agreements.filter(in_effect_since__isnull=False)),
            first_signed=among(first_signed),
            first_late=among(first_late),
            agreement_overdue=among(overdue.filter(kind=DueEntry.Kind.AGREEMENT_DUE)),
            contact_due=among(open_rows.filter(kind=DueEntry.Kind.CONTACT)),
            contact_overdue=among(overdue.filter(kind=DueEntry.Kind.CONTACT)),
            met=among(held),
            plan_started=among(plans),
            plan_complete=among(plans.filter(completed_at__isnull=False)),
        )
    )


class FactsAgreeTest(due.DueAgreesTest):
    # The parent's own property (the page, the overview and the reminders) runs in its module.
    test_the_page_the_overview_and_the_reminders_agree = None  # type: ignore[assignment]

    def check_facts(self, now) -> None:
        self.assertTrue(PairFacts.objects.filter(partnership=self.partnership).exists())
        for later in (0, 30, 200):
            today = (now + timedelta(days=later)).date()
            rows = selectors.with_today(selectors.facts(self.program, Filters()), today)
            records = from_records(self.program.pk, today)
            listed = selectors.annotated(selectors.pairs(self.program, Filters()), today)
            for figure, bars in BARS.items():
                for bar in bars:
                    where = f"{figure}/{bar.key}, {later} days later"
                    expected = set(records.filter(bar.condition).values_list("pk", flat=True))
                    counted = set(
                        rows.filter(bar.condition).values_list("partnership_id", flat=True)
                    )
                    self.assertEqual(counted, expected, where)
                    # The bar's list is the same condition over the partnerships.
                    shown = set(listed.filter(bar.condition).values_list("pk", flat=True))
                    self.assertEqual(shown, expected, f"the list of {where}")

    @settings(
        max_examples=int(os.environ.get("FACTS_EXAMPLES", "15")),
        deadline=None,
        derandomize=True,  # the same histories on every run
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(slug=st.sampled_from(due.SLUGS), history=due.steps)
    def test_the_fact_rows_agree_with_the_records(self, slug, history):
        self.slug = slug
        set_template(self.program, install_template(slug))
        now = due.START
        with time_machine.travel(now, tick=False) as clock:
            for step in history:
                if step[0] == "wait":
                    now += timedelta(days=step[1])
                    clock.move_to(now)
                else:
                    with contextlib.suppress(due.REFUSED):
                        self.play(step, now)
            self.check_facts(now)
