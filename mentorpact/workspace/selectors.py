"""Reads that combine apps for the workspace's pages: the program overview's health.

The overview's totals in SQL (one query) over the due rows progress keeps, and each shown
row's health from progress. Only this layer may read all of them at once."""

import hashlib
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.agreement_templates.rules import effective_template
from mentorpact.agreement_templates.schema import Template
from mentorpact.partnerships import selectors as partnership_selectors
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Program
from mentorpact.progress import selectors as progress
from mentorpact.progress.models import DueEntry
from mentorpact.support import selectors as support_selectors


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
class ProgramFigures:
    """The program's totals, read in one query: the due rows' counts (ProgramHealth's), the
    partnerships by status, and the open requests for help."""

    overdue_agreements: int
    contact_overdue: int
    attention_count: int
    first_meeting_overdue: int | None  # None: no first-meeting rule
    status_counts: dict[str, int]
    open_help_requests: int
    template_version_id: int | None = None  # the program's current template version


@dataclass(frozen=True)
class Attention:
    """Ids of the program's partnerships needing attention, one queryset per rule: open ones
    whose agreement is overdue, active ones whose contact is overdue, and open ones whose
    first meeting is overdue (None: the program has no first-meeting rule)."""

    overdue_agreements: QuerySet
    no_contact: QuerySet
    first_meeting: QuerySet | None
    template_version_id: int | None = None  # the program's current template version

    def querysets(self) -> list[QuerySet]:
        found = [self.overdue_agreements, self.no_contact]
        return found + ([self.first_meeting] if self.first_meeting is not None else [])


def attention_querysets(program: Program, *, now=None) -> Attention:
    """The program's partnerships with an overdue agreement, contact or first meeting, read
    from the due rows the services keep (progress.models.DueEntry, written from the one
    definition in progress.due), so the totals cost the same at 100 and 10,000 partnerships
    and agree with each pair's page. Only open partnerships have open rows."""
    now = now or timezone.now()
    today = now.astimezone(UTC).date()
    overdue = DueEntry.objects.filter(
        program_id=program.pk, done_at__isnull=True, overdue_on__lte=today
    )

    def of_kind(kind: str) -> QuerySet:
        ids = overdue.filter(kind=kind).values("partnership_id")
        return program.partnerships.filter(pk__in=ids).values("pk")

    first_meeting = None
    # The program's current template says whether it has the rule (chosen_template's query
    # is remembered on the program object, so the rows' health reads it again for free).
    version = template_selectors.chosen_version(program)
    if version is not None:
        template = effective_template(Template.from_dict(version.definition), program)
        if template.rules.first_meeting_within_weeks:
            first_meeting = of_kind(DueEntry.Kind.FIRST_MEETING)
    return Attention(
        of_kind(DueEntry.Kind.AGREEMENT_DUE),
        of_kind(DueEntry.Kind.CONTACT),
        first_meeting,
        template_version_id=version.pk if version is not None else None,
    )


def needing_attention(program: Program) -> QuerySet:
    """Ids of the program's partnerships with an overdue agreement, contact or first
    meeting."""
    return _either(program, *attention_querysets(program).querysets())


def _either(program: Program, *id_querysets: QuerySet) -> QuerySet:
    condition = Q()
    for ids in id_querysets:
        condition |= Q(pk__in=ids)
    return program.partnerships.filter(condition).values("pk")


def program_figures(program: Program) -> ProgramFigures:
    """The program's totals in one query: the due rows' counts, the status counts and the
    open requests for help, as scalar subqueries of the program's row, so the overview's
    query count does not grow with what it totals (each subquery is served by an index)."""
    attention = attention_querysets(program)
    kinds = [DueEntry.Kind.AGREEMENT_DUE, DueEntry.Kind.CONTACT]
    if attention.first_meeting is not None:
        kinds.append(DueEntry.Kind.FIRST_MEETING)
    overdue = DueEntry.objects.filter(
        program_id=OuterRef("pk"),
        done_at__isnull=True,
        overdue_on__lte=timezone.now().astimezone(UTC).date(),
        kind__in=kinds,
    )

    def pairs(*of: str) -> Coalesce:
        rows = (
            overdue.order_by()
            .values("program_id")
            .annotate(n=Count("partnership_id", distinct=True, filter=Q(kind__in=of)))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    statuses = partnership_selectors.status_count_subqueries()
    columns: dict[str, Any] = {
        "overdue_agreements": pairs(DueEntry.Kind.AGREEMENT_DUE),
        "contact_overdue": pairs(DueEntry.Kind.CONTACT),
        "first_meeting_overdue": pairs(DueEntry.Kind.FIRST_MEETING),
        "attention_count": pairs(*kinds),
        "open_help_requests": support_selectors.open_count_subquery(),
        **{f"status_{value}": count for value, count in statuses.items()},
    }
    totals: dict[str, Any] = dict(Program.objects.filter(pk=program.pk).values(**columns).get())
    return ProgramFigures(
        overdue_agreements=totals["overdue_agreements"],
        contact_overdue=totals["contact_overdue"],
        attention_count=totals["attention_count"],
        first_meeting_overdue=(
            totals["first_meeting_overdue"] if attention.first_meeting is not None else None
        ),
        status_counts={value: totals[f"status_{value}"] for value in statuses},
        open_help_requests=totals["open_help_requests"],
        template_version_id=attention.template_version_id,
    )


# The overview's health rows are cached per partnership (the default cache: each web worker's
# memory), keyed by what they are computed from, so an entry is never stale and never needs
# deleting: the pair's facts_version (bumped by every `partnerships.signals.changed`, which
# every service that changes what the pair has to do sends), its public id (unique, so a
# reused primary key in another database never hits), the program's rules and template (the
# rules in force before anything is signed), and the days and the time zone health is
# counted in. Bump HEALTH_KEY when Health or health_of changes.
HEALTH_KEY = "mp:health:1"
HEALTH_SECONDS = 24 * 60 * 60  # the day is in the key: an entry lives a day at most


def _health_context(program: Program, figures: ProgramFigures) -> str:
    """The part of the health rows' cache key the whole program shares."""
    rules = repr(
        (
            figures.template_version_id,
            program.rules,
            program.kickoff_date,
            program.agreement_due_date,
            program.agreement_days_after_pairing,
            program.archived_at,
        )
    )
    days = f"{timezone.now().astimezone(UTC).date()}:{timezone.localdate()}"
    zone = timezone.get_current_timezone_name()
    digest = hashlib.sha256(rules.encode()).hexdigest()[:16]
    return f"{program.pk}:{digest}:{days}:{zone}"


def _own_facts(partnership: Partnership) -> str:
    """The pair's own row in the key too: a status or a date written without a `changed`."""
    own = (
        partnership.status,
        partnership.agreement_due_on,
        partnership.started_on,
        partnership.ends_on,
        partnership.status_changed_at,
    )
    return hashlib.sha256(repr(own).encode()).hexdigest()[:16]


def program_health(
    program: Program, shown: list[Partnership], *, figures: ProgramFigures | None = None
) -> ProgramHealth:
    """The program's totals (`program_figures`, or the ones the caller read already) and the
    detailed health only for the `shown` rows (a page of the overview), so neither the query
    count nor the time grows with the program. Dates and statuses only: what every
    coordinator of the program may see, so the cached rows (HEALTH_KEY) are shared between
    them; the caller checked the access (get_program_for_coordinator) before this is read."""
    figures = figures or program_figures(program)
    context = _health_context(program, figures)
    keys = {
        p.pk: f"{HEALTH_KEY}:{context}:{p.public_id}:{p.facts_version}:{_own_facts(p)}"
        for p in shown
    }
    cached = cache.get_many(list(keys.values()))
    by_partnership = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [p for p in shown if p.pk not in by_partnership]
    for partnership in missing:
        partnership.program = program  # one program: no query per row
    fresh = {
        pk: progress.health_of(row)
        for pk, row in progress.progress_of_many(missing, role="coordinator").items()
    }
    if fresh:
        cache.set_many({keys[pk]: health for pk, health in fresh.items()}, HEALTH_SECONDS)
    by_partnership.update(fresh)
    return ProgramHealth(
        overdue_agreements=figures.overdue_agreements,
        contact_overdue=figures.contact_overdue,
        attention_count=figures.attention_count,
        first_meeting_overdue=figures.first_meeting_overdue,
        by_partnership=by_partnership,
    )
