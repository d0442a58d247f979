"""The page, the overview and the reminders agree on what is due, whatever happened.

Hypothesis generates partnership histories (a seed form, then steps: days passing, the
agreement drafted, signed by one partner or both, meetings held, the action plan started,
the partnership ended) played through the services with the clock moved by time-machine.
At the end of each history (Hypothesis tries histories of every length, so the states on
the way are checked as the ends of shorter ones):
- the partnership page's due list (progress.due.due_list, computed from the facts) and the
  due rows the services left (DueEntry) hold the same items, overdue alike;
- the program overview's totals (workspace.selectors.attention_querysets, SQL over the rows)
  name the partnership exactly when its page shows that item overdue, and its row's health
  says it needs attention exactly when the totals count it;
- the reminder planner, reading only the rows, plans every reminder the facts say is due.
"""

import contextlib
import os
from datetime import UTC, datetime, timedelta

import time_machine
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import Agreement
from mentorpact.agreements.services import AgreementError
from mentorpact.agreements.tests.base import draft_of
from mentorpact.meetings import selectors as meeting_selectors
from mentorpact.meetings import services as meeting_services
from mentorpact.meetings.services import MeetingError
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.services import change_status
from mentorpact.progress import reminders, selectors, services
from mentorpact.progress.models import DueEntry, Reminder
from mentorpact.progress.services import ProgressError
from mentorpact.progress.tests.base import CONTENT, install_template, sign_as
from mentorpact.test import PersonasMixin
from mentorpact.workspace import selectors as workspace

# What the services refuse with a message for the page (a signature on a form whose dates no
# longer hold, say): the step changes nothing, and the check after it still applies.
REFUSED = (ValidationError, AgreementError, MeetingError, ProgressError)
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday before the kick-off (15 January)
SLUGS = sorted(CONTENT)
# The overview's totals, by the due item they count.
TOTALS = {
    "agreement_due": "overdue_agreements",
    "contact": "no_contact",
    "first_meeting": "first_meeting",
}

steps = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(min_value=1, max_value=75)),
        st.tuples(st.just("draft")),  # start the agreement and fill it in
        st.tuples(st.just("sign"), st.sampled_from(["mentor", "mentee"])),
        st.tuples(st.just("sign_all")),  # draft it and both sign: the agreement in effect
        st.tuples(st.just("meet"), st.integers(min_value=0, max_value=20)),
        st.tuples(st.just("plan")),
        st.tuples(st.just("end")),
    ),
    min_size=1,
    max_size=14,
)


class DueAgreesTest(PersonasMixin, TestCase):
    def play(self, step: tuple, now: datetime) -> None:
        """One step of the history, through the services; a step the state does not allow
        (signing before starting, a meeting after the end) is skipped, as the page would not
        offer it."""
        partnership = Partnership.objects.get(pk=self.partnership.pk)
        if not partnership.is_open:
            return
        agreement = partnership.agreements.order_by("-number").first()
        drafting = agreement is not None and agreement.status == Agreement.Status.DRAFTING
        kind = step[0]
        if kind in ("draft", "sign_all"):
            if agreement is None:
                agreement = agreement_services.start_agreement(
                    partnership=partnership, actor=self.mia, now=now
                )
            if agreement.status != Agreement.Status.DRAFTING:
                return
            version = draft_of(agreement)
            if version.revision == 1:
                for role in ("mentee", "mentor"):
                    values = CONTENT[self.slug].get(role)
                    if values:
                        version = agreement_services.save_draft(
                            agreement=agreement,
                            user=getattr(partnership, role),
                            values=values,
                            based_on_revision=version.revision,
                            now=now,
                        )
            if kind == "sign_all":
                for role in ("mentee", "mentor"):
                    agreement.refresh_from_db()
                    if agreement.status == Agreement.Status.DRAFTING:
                        self.sign(partnership, draft_of(agreement), role)
        elif kind == "sign" and drafting and agreement is not None:
            version = draft_of(agreement)
            if version.revision > 1:
                self.sign(partnership, version, step[1])
        elif kind == "meet" and partnership.status == Partnership.Status.ACTIVE:
            [(mode, _), *_] = meeting_selectors.meeting_terms(partnership).mode_choices()
            meeting_services.record_past_meeting(
                partnership=partnership,
                user=self.theo,
                starts_at=now - timedelta(days=step[1], hours=1),
                time_zone="UTC",
                held_minutes=60,
                mode=mode,
                now=now,
            )
        elif kind == "plan" and partnership.status == Partnership.Status.ACTIVE:
            standing = selectors.standing_of(partnership)
            if standing is not None and selectors.plan_for(standing.agreement) is None:
                services.start_action_plan(partnership=partnership, actor=self.theo, now=now)
        elif kind == "end":
            change_status(partnership=partnership, to_status="ended", actor=self.cora, now=now)

    def sign(self, partnership, version, role: str) -> None:
        if not version.signatures.filter(role=role, voided_at__isnull=True).exists():
            sign_as(partnership, version, role)

    def check(self, now: datetime) -> None:
        partnership = Partnership.objects.select_related("program").get(pk=self.partnership.pk)
        today = now.date()
        progress = selectors.partnership_progress(
            partnership, role="mentor", viewer=self.mia, now=now, with_meetings=False
        )
        page = {(item.kind, item.overdue) for item in progress.due()}
        rows = {
            (entry.kind, entry.overdue_on is not None and entry.overdue_on <= today)
            for entry in DueEntry.objects.filter(partnership=partnership, done_at__isnull=True)
            if entry.kind != DueEntry.Kind.SIGN
        }
        self.assertEqual(page, rows, "the page and the due rows")

        attention = workspace.attention_querysets(self.program, now=now)
        for kind, total in TOTALS.items():
            ids = getattr(attention, total)
            counted = ids is not None and ids.filter(pk=partnership.pk).exists()
            self.assertEqual(counted, (kind, True) in page, f"the overview's {total}")
        with time_machine.travel(now, tick=False):
            health = workspace.program_health(self.program, [partnership]).by_partnership
            flagged = workspace.needing_attention(self.program).filter(pk=partnership.pk)
        self.assertEqual(health[partnership.pk].needs_attention, flagged.exists())

        reminders.plan_reminders(now=now)
        planned = set(Reminder.objects.values_list("dedupe_key", flat=True))
        wanted = {due.key for due in reminders.due_now(partnership, now)}
        self.assertLessEqual(wanted, planned, "every reminder due is planned")

    @settings(
        max_examples=int(os.environ.get("DUE_EXAMPLES", "300")),
        deadline=None,
        derandomize=True,  # the same histories on every run: CI stays reproducible
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(slug=st.sampled_from(SLUGS), history=steps)
    def test_the_page_the_overview_and_the_reminders_agree(self, slug, history):
        self.slug = slug
        set_template(self.program, install_template(slug))
        now = START
        with time_machine.travel(now, tick=False) as clock:
            for step in history:
                if step[0] == "wait":
                    now += timedelta(days=step[1])
                    clock.move_to(now)
                else:
                    # Refused with the app's own message, as the page would show it.
                    with contextlib.suppress(REFUSED):
                        self.play(step, now)
            self.check(now)
