"""The program's picture: each figure of the dashboard as counts over the program's pairs.

Every bar of every figure is one condition over the program's partnerships (`BARS`), so a
figure's count and the list of pairs behind its bar are the same condition: the count is an
aggregate over the pairs' fact rows (one query for every pair-based figure at once),
the list is the partnerships filtered by that same condition (over the same names:
`annotated`). What is due and overdue is
read from the due rows progress keeps (progress.models.DueEntry, written from the one
definition in progress.due), never recomputed here.

The pair-based figures read one narrow row a pair (`PairFacts`, kept by dashboard.facts
whenever progress refreshes the pair's due rows): one aggregate over a program's rows,
served by the index on (program, paired_on), instead of a subquery a fact over every pair.

Confidential by design: counts, dates and statuses only. An aggregate over fewer than
`SMALLEST` people is suppressed (`Number.shown` is None) in every output: the page, the
report, the exports.
"""

import datetime
import uuid
from dataclasses import dataclass, field
from datetime import UTC

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.dashboard.models import AgreementsZip, PairFacts
from mentorpact.evaluations.models import Evaluation, Round
from mentorpact.events.models import Invitation, ProgramEvent
from mentorpact.lib import suppression
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.programs.selectors import get_program_for_coordinator

# A number about fewer people than this is shown as "fewer than 5", never as its number:
# the one rule of lib.suppression, which the evaluations' pages follow too.
SMALLEST = suppression.SMALLEST
# Meetings per month: this many months up to the end of the date range (or this month).
MONTHS = 12
# Events attended: the program's latest events (by start) that have happened.
EVENTS = 6

Status = Partnership.Status


@dataclass(frozen=True)
class Filters:
    """Which pairs the dashboard is about. `cohort`: "kickoff" (paired by the program's
    kick-off) or "later" (paired after it); `department`: the mentor's or the mentee's;
    `mentor`: a mentor's public id; `paired_from` / `paired_to`: the day paired (UTC)."""

    cohort: str = ""
    department: str = ""
    mentor: str = ""
    paired_from: datetime.date | None = None
    paired_to: datetime.date | None = None

    def query(self) -> dict[str, str]:
        values = {
            "cohort": self.cohort,
            "department": self.department,
            "mentor": self.mentor,
            "paired_from": self.paired_from.isoformat() if self.paired_from else "",
            "paired_to": self.paired_to.isoformat() if self.paired_to else "",
        }
        return {k: v for k, v in values.items() if v}

    @property
    def any(self) -> bool:
        return bool(self.query())


COHORTS = {"kickoff": "Paired by the kick-off", "later": "Paired after the kick-off"}


def get_program_for_dashboard(user, program_id) -> Program:
    """The program's coordinators; partners 403, anyone else 404."""
    return get_program_for_coordinator(user, program_id)


def get_zip_for_coordinator(user, program_id, zip_id) -> AgreementsZip:
    """A ZIP of the program's signed agreements: any coordinator of the program (whoever asked
    for it); partners 403, anyone else 404."""
    program = get_program_for_coordinator(user, program_id)
    found = AgreementsZip.objects.filter(program=program, public_id=zip_id).first()
    if found is None:
        raise Http404
    found.program = program
    return found


def latest_zip(program: Program) -> AgreementsZip | None:
    return AgreementsZip.objects.filter(program=program).first()


# --- Which pairs ----------------------------------------------------------------------------


def facts(program: Program, filters: Filters) -> QuerySet[PairFacts]:
    """The fact rows (dashboard.facts) of the program's pairs the filters keep (an undone
    pairing is no pair: left out); the indexes on (program, paired_on) and (program,
    mentor) serve the program, the cohort, the date range and the mentor."""
    found = PairFacts.objects.filter(program=program).exclude(status=Status.UNPAIRED)
    if filters.cohort and program.kickoff_date:
        if filters.cohort == "kickoff":
            found = found.filter(paired_on__lte=program.kickoff_date)
        else:
            found = found.filter(paired_on__gt=program.kickoff_date)
    if filters.department:
        found = found.filter(
            Q(mentor__department=filters.department) | Q(mentee__department=filters.department)
        )
    if filters.mentor:
        found = found.filter(_mentor_is(filters.mentor))
    if filters.paired_from:
        found = found.filter(paired_on__gte=filters.paired_from)
    if filters.paired_to:
        found = found.filter(paired_on__lte=filters.paired_to)
    return found


def pairs(program: Program, filters: Filters) -> QuerySet[Partnership]:
    """The partnerships the filters keep (the exports' rows, a bar's list)."""
    return Partnership.objects.filter(pk__in=facts(program, filters).values("partnership_id"))


def _mentor_is(mentor: str, prefix: str = "mentor__") -> Q:
    """The mentor filter: a mentor's public id (the list's choice, a chart's link) or their
    email address (a large program's field; emails are stored in lower case)."""
    public_id = _uuid_or_none(mentor)
    if public_id is not None:
        return Q(**{f"{prefix}public_id": public_id})
    return Q(**{f"{prefix}email": mentor.strip().lower()})


def _today() -> datetime.date:
    return timezone.now().astimezone(UTC).date()


def _overdue(day: str, today: datetime.date) -> ExpressionWrapper:
    # False, never NULL, for a pair with no such row: NULL IS NOT NULL is false, and false
    # AND anything is false, so "not overdue" bars count it.
    condition = Q(**{f"{day}__isnull": False, f"{day}__lte": today})
    return ExpressionWrapper(condition, output_field=BooleanField())


def with_today(found: QuerySet[PairFacts], today: datetime.date) -> QuerySet[PairFacts]:
    """The fact rows with what depends on the day: overdue when the overdue day has come
    (compared in SQL, so the rows need no write as days pass)."""
    return found.annotate(
        agreement_overdue=_overdue("agreement_overdue_on", today),
        contact_overdue=_overdue("contact_overdue_on", today),
    )


def annotated(found: QuerySet[Partnership], today: datetime.date) -> QuerySet[Partnership]:
    """Partnerships with their fact rows' facts under the same names, so that a bar's
    condition (BARS) reads the same over the pairs it lists as over the rows it counts."""
    row = "dashboard_facts__"
    return found.annotate(
        signed=F(f"{row}signed"),
        first_signed=F(f"{row}first_signed"),
        first_late=F(f"{row}first_late"),
        agreement_overdue=_overdue(f"{row}agreement_overdue_on", today),
        contact_due=F(f"{row}contact_due"),
        contact_overdue=_overdue(f"{row}contact_overdue_on", today),
        met=F(f"{row}met"),
        plan_started=F(f"{row}plan_started"),
        plan_complete=F(f"{row}plan_complete"),
    )


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    condition: Q
    help: str = ""


# Each figure over the pairs: its bars, each one condition over the fact rows (`with_today`),
# which reads the same over the partnerships of a bar's list (`annotated`).
BARS: dict[str, tuple[Bar, ...]] = {
    "stage": (
        Bar("paired", "Paired", Q(), "every pair, whatever happened since"),
        Bar("drafting", "Drafting", Q(status=Status.DRAFTING), "agreement not yet in effect"),
        Bar("signed", "Signed", Q(signed=True), "an agreement came into effect"),
        Bar("active", "Active", Q(status=Status.ACTIVE), "agreement in effect now"),
        Bar("concluded", "Concluded", Q(status=Status.CONCLUDED)),
        Bar("ended_early", "Ended early", Q(status=Status.ENDED_EARLY)),
    ),
    "signing": (
        Bar("on_time", "Signed on time", Q(first_signed=True, first_late=False)),
        Bar("late", "Signed late", Q(first_signed=True, first_late=True)),
        Bar("overdue", "Overdue", Q(agreement_overdue=True), "open, past its due date, unsigned"),
        Bar(
            "not_yet_due",
            "Not yet due",
            Q(status=Status.DRAFTING, agreement_overdue=False),
            "drafting, before its due date",
        ),
    ),
    "contact": (
        Bar("on_track", "On track", Q(contact_due=True, contact_overdue=False)),
        Bar(
            "slipping",
            "Slipping",
            Q(contact_overdue=True, met=True),
            "met before, but no contact within the agreed rule",
        ),
        Bar(
            "no_contact",
            "No contact",
            Q(contact_overdue=True, met=False),
            "overdue, and no meeting held yet",
        ),
    ),
    "plans": (
        Bar("started", "Started", Q(plan_started=True)),
        Bar("complete", "Complete", Q(plan_complete=True)),
        Bar(
            "not_started",
            "Not started (active pairs)",
            Q(status=Status.ACTIVE, plan_started=False),
        ),
    ),
}

FIGURE_TITLES = {
    "stage": "Partnerships by stage",
    "signing": "Agreements signed on time, late or overdue",
    "contact": "Contact against each pair's agreed rule",
    "plans": "Action plans started and complete",
    "meetings": "Meetings held per month",
    "events": "Events attended",
    "evaluations": "Evaluations answered",
}

FIGURE_DESCRIPTIONS = {
    "stage": "How many pairs reached each stage: paired, drafting their agreement, signed, "
    "active now, concluded, ended early.",
    "signing": "First agreements signed by their due date or after it, open pairs whose "
    "agreement is overdue, and drafting pairs not yet due.",
    "contact": "Active pairs whose program asks for regular contact: on track, slipping "
    "(overdue after meeting before) and no contact at all.",
    "plans": "Pairs with an action plan started and completed, and active pairs without one.",
    "meetings": "Meetings the pairs recorded as held, by the month they were held (UTC).",
    "events": "People of these pairs who attended each of the program's latest events, "
    "against those invited.",
    "evaluations": "Answers to each of the program's latest evaluations from these pairs' "
    "partners, against the partners asked so far (the answers themselves stay on each "
    "evaluation's own page, in totals over five people or more).",
}


@dataclass(frozen=True)
class Number:
    """One number of a figure: `shown` is None when it counts fewer than SMALLEST people."""

    key: str
    label: str
    value: int
    people: int  # how many people the number is about (suppression reads it)
    help: str = ""
    url_query: dict[str, str] = field(default_factory=dict)
    of: int | None = None  # "of how many" (events: invited)

    @property
    def suppressed(self) -> bool:
        return suppression.too_few(self.people)

    @property
    def shown(self) -> int | None:
        return None if self.suppressed else self.value

    @property
    def of_shown(self) -> int | None:
        """How many it is of (invited, asked): shown when five or more, even when the number
        itself is not ("fewer than 5 of 6")."""
        return None if self.of is None else suppression.shown(self.of)

    @property
    def text(self) -> str:
        return suppression.text(self.value, self.people)


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    description: str
    counts: list[Number]
    unit: str = "pairs"
    linked: bool = True  # each bar links to the pairs behind it
    label_heading: str = "Stage"  # the table's first column
    of_heading: str = ""  # the table's "of how many" column, for numbers with an `of`

    @property
    def largest(self) -> int:
        return max(
            [c.shown or 0 for c in self.counts] + [c.of_shown or 0 for c in self.counts] + [1]
        )

    @property
    def any_suppressed(self) -> bool:
        return any(c.suppressed for c in self.counts)


@dataclass(frozen=True)
class Dashboard:
    program: Program
    filters: Filters
    total: int
    figures: list[Figure]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def dashboard(
    program: Program, filters: Filters, *, today: datetime.date | None = None
) -> Dashboard:
    """Every figure of the program's dashboard for the pairs `filters` keep: one aggregate
    over their fact rows, one over their meetings, one over their events' invitations, one
    over their evaluations' rounds."""
    today = today or _today()
    found = facts(program, filters)
    aggregates = {
        f"{figure}__{bar.key}": Count("pk", filter=bar.condition)
        for figure, bars in BARS.items()
        for bar in bars
    }
    totals = with_today(found, today).aggregate(**aggregates)
    figures = [
        Figure(
            figure,
            FIGURE_TITLES[figure],
            FIGURE_DESCRIPTIONS[figure],
            [
                Number(
                    bar.key,
                    bar.label,
                    totals[f"{figure}__{bar.key}"],
                    people=totals[f"{figure}__{bar.key}"],
                    help=bar.help,
                    url_query={"figure": figure, "bar": bar.key},
                )
                for bar in bars
            ],
        )
        for figure, bars in BARS.items()
    ]
    figures.insert(3, meetings_per_month(found, filters, today))
    figures.append(events_attended(program, found, today))
    figures.append(evaluations_answered(program, found, today))
    return Dashboard(program, filters, totals["stage__paired"], figures)


def _months_ending(last: datetime.date) -> list[datetime.date]:
    first = last.replace(day=1)
    months = [first]
    for _ in range(MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months[::-1]


def meetings_per_month(
    found: QuerySet[PairFacts], filters: Filters, today: datetime.date
) -> Figure:
    """Meetings held by these pairs, by month (UTC), over the MONTHS months up to the date
    range's end (or today). A month's number is suppressed when fewer than SMALLEST pairs
    held its meetings."""
    months = _months_ending(min(filters.paired_to, today) if filters.paired_to else today)
    start = datetime.datetime.combine(months[0], datetime.time(), tzinfo=UTC)
    rows = (
        Meeting.objects.filter(
            partnership__in=found.values("partnership_id"),
            status=Meeting.Status.HELD,
            starts_at__gte=start,
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=UTC))
        .values("month")
        .annotate(n=Count("pk"), pairs=Count("partnership_id", distinct=True))
    )
    by_month = {}
    for row in rows:
        month = row["month"]
        day = month.date() if isinstance(month, datetime.datetime) else month
        by_month[day] = (row["n"], row["pairs"])
    counts = []
    for month in months:
        n, pair_count = by_month.get(month, (0, 0))
        counts.append(
            Number(
                month.strftime("%Y-%m"),
                month.strftime("%b %Y"),
                n,
                people=pair_count,
                url_query={"figure": "meetings", "bar": month.strftime("%Y-%m")},
            )
        )
    return Figure(
        "meetings",
        FIGURE_TITLES["meetings"],
        FIGURE_DESCRIPTIONS["meetings"],
        counts,
        "meetings",
        label_heading="Month",
    )


def _people_of(found: QuerySet[PairFacts]) -> Q:
    return Q(user_id__in=found.values("mentor_id")) | Q(user_id__in=found.values("mentee_id"))


def events_attended(program: Program, found: QuerySet[PairFacts], today: datetime.date) -> Figure:
    """The people of these pairs who attended each of the program's latest EVENTS events that
    have started, of those of them invited (one query, grouped by event)."""
    now = timezone.now()
    latest = ProgramEvent.objects.filter(program=program, starts_at__lte=now).order_by(
        "-starts_at", "-pk"
    )[:EVENTS]
    rows = (
        Invitation.objects.filter(event__in=latest.values("pk"))
        .filter(_people_of(found))
        .values("event_id", "event__public_id", "event__title", "event__starts_at")
        .annotate(
            invited=Count("user_id", distinct=True),
            attended=Count("user_id", distinct=True, filter=Q(attended=True)),
        )
        .order_by("event__starts_at", "event_id")
    )
    counts = [
        Number(
            str(row["event__public_id"]),
            f"{row['event__title']} ({row['event__starts_at'].astimezone(UTC):%-d %b %Y})",
            row["attended"],
            people=row["attended"],
            of=row["invited"],
            url_query={"figure": "events", "bar": str(row["event__public_id"])},
        )
        for row in rows
    ]
    return Figure(
        "events",
        FIGURE_TITLES["events"],
        FIGURE_DESCRIPTIONS["events"],
        counts,
        "people",
        label_heading="Event",
        of_heading="Invited",
    )


def evaluations_answered(
    program: Program, found: QuerySet[PairFacts], today: datetime.date
) -> Figure:
    """For each of the program's latest EVENTS evaluations, the answers from these pairs'
    partners against the partners asked so far (two a round opened by today): one query.
    A count of fewer than five answers is suppressed, as everywhere; no bar links to pairs,
    since who answered is the respondents' own business."""
    latest = Evaluation.objects.filter(program=program).order_by("-created_at", "-pk")[:EVENTS]
    rows = (
        Round.objects.filter(
            evaluation__in=latest.values("pk"),
            partnership__in=found.values("partnership_id"),
            opens_on__lte=today,
        )
        .values("evaluation_id", "evaluation__public_id", "evaluation__title")
        .annotate(rounds=Count("pk", distinct=True), answered=Count("responses", distinct=True))
        .order_by("evaluation_id")
    )
    counts = [
        Number(
            str(row["evaluation__public_id"]),
            row["evaluation__title"],
            row["answered"],
            people=row["answered"],
            of=2 * row["rounds"],
        )
        for row in rows
    ]
    return Figure(
        "evaluations",
        FIGURE_TITLES["evaluations"],
        FIGURE_DESCRIPTIONS["evaluations"],
        counts,
        "answers",
        linked=False,
        label_heading="Evaluation",
        of_heading="Asked",
    )


# --- The pairs behind a bar ---------------------------------------------------------------


def bar_condition(program: Program, figure: str, bar: str) -> tuple[str, Q | Exists] | None:
    """The label and the condition (over `annotated` pairs) of one bar, or None for a bar
    that does not exist."""
    for candidate in BARS.get(figure, ()):
        if candidate.key == bar:
            return f"{FIGURE_TITLES[figure]}: {candidate.label}", candidate.condition
    if figure == "meetings":
        try:
            month = datetime.datetime.strptime(bar, "%Y-%m").replace(tzinfo=UTC)
        except ValueError:
            return None
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        held = Meeting.objects.filter(
            partnership=OuterRef("pk"),
            status=Meeting.Status.HELD,
            starts_at__gte=month,
            starts_at__lt=following,
        )
        return f"Met in {month:%B %Y}", Exists(held)
    if figure == "events":
        event_id = _uuid_or_none(bar)
        event = (
            ProgramEvent.objects.filter(program=program, public_id=event_id).first()
            if event_id
            else None
        )
        if event is None:
            return None
        attended = Invitation.objects.filter(event=event, attended=True).filter(
            Q(user_id=OuterRef("mentor_id")) | Q(user_id=OuterRef("mentee_id"))
        )
        return f"Attended {event.title}", Exists(attended)
    return None


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def pairs_behind(
    program: Program, filters: Filters, figure: str, bar: str, *, today: datetime.date | None = None
) -> tuple[str, QuerySet[Partnership]] | None:
    """The pairs behind one bar (the same condition its count is), with their people, newest
    first; None for a bar that does not exist."""
    found = bar_condition(program, figure, bar)
    if found is None:
        return None
    label, condition = found
    rows = annotated(pairs(program, filters), today or _today()).filter(condition)
    return label, rows.select_related("mentor", "mentee").order_by("-created_at", "-id")


# --- The filters' choices -------------------------------------------------------------------


def departments(program: Program) -> list[str]:
    return sorted(
        set(
            User.objects.filter(enrolments__program=program)
            .exclude(department="")
            .values_list("department", flat=True)
        )
    )


# The mentor filter lists the program's mentors up to this many; a larger program's filter
# is a field for the mentor's email (a list of 10,000 names took 1.5 s of the dashboard's
# time at 10,000 pairs, in the template, and made the page 1 MB).
MENTOR_CHOICES = 200


def _program_mentors(program: Program) -> QuerySet[User]:
    return User.objects.filter(enrolments__program=program, enrolments__role=Enrolment.Role.MENTOR)


def mentors(program: Program) -> list[tuple[str, str]] | None:
    """The program's mentors (public id, name) for the filter's list; None when there are
    more than MENTOR_CHOICES (one query either way)."""
    # Unordered, so the database stops at the first MENTOR_CHOICES + 1 rows rather than
    # sorting every mentor of a large program; a short list is sorted here.
    rows = list(
        _program_mentors(program)
        .order_by()
        .values_list("full_name", "email", "public_id")[: MENTOR_CHOICES + 1]
    )
    if len(rows) > MENTOR_CHOICES:
        return None
    return [(str(public_id), name) for name, _email, public_id in sorted(rows)]


def mentor_exists(program: Program, mentor: str) -> bool:
    return _program_mentors(program).filter(_mentor_is(mentor, prefix="")).exists()
