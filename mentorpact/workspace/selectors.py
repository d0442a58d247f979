"""Reads that combine apps for the workspace's pages: the program overview's health.

The overview's totals in SQL over partnerships, agreements and meetings, and each shown
row's health from progress. Only this layer may read all of them at once."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.agreement_templates.rules import effective_template
from mentorpact.agreement_templates.schema import Template
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Program
from mentorpact.progress import selectors as progress


@dataclass(frozen=True)
class ProgramHealth:
    """The program's totals against its terms, and each shown partnership's health by id."""

    overdue_agreements: int
    contact_overdue: int
    attention_count: int
    # Open pairs past the `first_meeting_within_weeks` date with no meeting held; None when
    # the program's rules have no such rule (the overview then does not mention it).
    first_meeting_overdue: int | None
    by_partnership: dict[int, progress.Health]


@dataclass(frozen=True)
class Attention:
    """Ids of the program's partnerships needing attention, one queryset per rule: open ones
    whose agreement is overdue, active ones whose contact is overdue, and open ones whose
    first meeting is overdue (None: the program has no first-meeting rule)."""

    overdue_agreements: QuerySet
    no_contact: QuerySet
    first_meeting: QuerySet | None

    def querysets(self) -> list[QuerySet]:
        found = [self.overdue_agreements, self.no_contact]
        return found + ([self.first_meeting] if self.first_meeting is not None else [])


def attention_querysets(program: Program, *, now=None) -> Attention:
    """Three rules of `progress.selectors.due_next` in SQL, for a whole program at once, so
    the overview's totals cost the same at 100 and 10,000 partnerships: the agreement_due,
    contact and first_meeting items, overdue.

    Keep these in step with due_next; test_program_overview_health checks both give the same
    partnerships. One simplification: the contact period and the first-meeting weeks are the
    program's current template's (a pair still on an older template version with other rules
    is judged by the current one)."""
    now = now or timezone.now()
    today = now.astimezone(UTC).date()
    start_of_today = datetime.combine(today, time.min, tzinfo=UTC)
    open_ones = program.partnerships.filter(status__in=Partnership.OPEN_STATUSES)
    # A drafting agreement is judged by its own date, a pair not drafting yet by the date fixed
    # for them at pairing (the date their first agreement will carry).
    overdue = Q(agreements__status=Agreement.Status.DRAFTING, agreements__due_on__lt=today) | Q(
        agreements__isnull=True, agreement_due_on__lt=today
    )
    overdue_agreements = open_ones.filter(overdue).values("pk").distinct()

    no_contact = program.partnerships.none().values("pk")
    first_meeting = None
    version = template_selectors.chosen_version(program)
    if version is not None:
        template = effective_template(Template.from_dict(version.definition), program)
        period = progress.contact_period(template)
        if period is not None:
            in_effect_since = (
                AgreementVersion.objects.filter(
                    agreement__partnership=OuterRef("pk"),
                    status=AgreementVersion.Status.IN_EFFECT,
                )
                .order_by("-agreement__number")
                .values("effective_at")[:1]
            )
            no_contact = (
                program.partnerships.filter(status=Partnership.Status.ACTIVE)
                .annotate(
                    since=Coalesce(
                        Max("meetings__starts_at", filter=Q(meetings__status="held")),
                        Subquery(in_effect_since),
                    )
                )
                .filter(since__lt=start_of_today - period)
                .values("pk")
            )
        weeks = template.rules.first_meeting_within_weeks
        if weeks:
            # Due on max(pairing day, kick-off) + weeks (progress.schedule), overdue after it:
            # both days fall before today - weeks.
            cutoff = today - timedelta(weeks=weeks)
            first_meeting = program.partnerships.none().values("pk")
            if program.kickoff_date is None or program.kickoff_date < cutoff:
                first_meeting = (
                    open_ones.filter(created_at__lt=datetime.combine(cutoff, time.min, tzinfo=UTC))
                    .exclude(meetings__status="held")
                    .values("pk")
                )
    return Attention(overdue_agreements, no_contact, first_meeting)


def needing_attention(program: Program) -> QuerySet:
    """Ids of the program's partnerships with an overdue agreement, contact or first
    meeting."""
    return _either(program, *attention_querysets(program).querysets())


def _either(program: Program, *id_querysets: QuerySet) -> QuerySet:
    condition = Q()
    for ids in id_querysets:
        condition |= Q(pk__in=ids)
    return program.partnerships.filter(condition).values("pk")


def program_health(program: Program, shown: list[Partnership]) -> ProgramHealth:
    """Totals for the whole program in SQL; the detailed health only for the `shown` rows (a
    page of the overview), so neither the query count nor the time grows with the program.
    Dates and statuses only."""
    attention = attention_querysets(program)
    for partnership in shown:
        partnership.program = program  # one program: no query per row
    rows = progress.progress_of_many(shown, role="coordinator")
    return ProgramHealth(
        overdue_agreements=attention.overdue_agreements.count(),
        contact_overdue=attention.no_contact.count(),
        attention_count=_either(program, *attention.querysets()).count(),
        first_meeting_overdue=(
            attention.first_meeting.count() if attention.first_meeting is not None else None
        ),
        by_partnership={pk: progress.health_of(row) for pk, row in rows.items()},
    )
