"""The dashboard's exports: each one a header and rows, as CSV or XLSX (lib.sheets).

Metadata only: names, emails, roles, statuses, dates, counts and health. Never an agenda,
topics, a meeting's place, notes, feedback, plan items, reviews or agreement content. The
aggregates (figures, attendance) suppress a number about fewer than SMALLEST people, as the
page does. Each export is one or two queries, whatever the program's size.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from mentorpact.agreements.models import Agreement
from mentorpact.dashboard import selectors
from mentorpact.dashboard.selectors import Filters
from mentorpact.events.models import Invitation, ProgramEvent
from mentorpact.lib import suppression
from mentorpact.meetings.models import Meeting
from mentorpact.office import selectors as office
from mentorpact.programs.models import Program


@dataclass(frozen=True)
class Export:
    key: str
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[object]]


KINDS = {
    "partnerships": "Partnerships",
    "roster": "People",
    "meetings": "Meetings",
    "attendance": "Event attendance",
    "figures": "Dashboard figures",
}


def export(program: Program, kind: str, filters: Filters) -> Export:
    title = KINDS[kind]
    header, rows = {
        "partnerships": _partnerships,
        "roster": _roster,
        "meetings": _meetings,
        "attendance": _attendance,
        "figures": _figures,
    }[kind](program, filters)
    return Export(kind, title, header, rows)


def _health(p) -> str:
    if p.agreement_overdue:
        return "agreement overdue"
    if p.contact_overdue:
        return "contact overdue"
    return "on track" if p.status in ("drafting", "active") else ""


def _partnerships(program: Program, filters: Filters):
    today = datetime.datetime.now(UTC).date()
    held = Meeting.objects.filter(partnership=OuterRef("pk"), status=Meeting.Status.HELD)
    first = Agreement.objects.filter(partnership=OuterRef("pk"), number=1)
    rows = (
        selectors.annotated(selectors.pairs(program, filters), today)
        .select_related("mentor", "mentee")
        .annotate(
            held=Coalesce(
                Subquery(
                    held.values("partnership_id").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
            last_held=Subquery(
                held.values("partnership_id").annotate(m=Max("starts_at")).values("m")[:1]
            ),
            signed_at=Subquery(first.values("in_effect_since")[:1]),
        )
        .order_by("created_at", "pk")
    )
    header = [
        "partnership",
        "mentor",
        "mentor email",
        "mentor department",
        "mentee",
        "mentee email",
        "mentee department",
        "status",
        "paired on",
        "agreement due on",
        "first agreement in effect on",
        "signed late",
        "status since",
        "ends on",
        "meetings held",
        "last meeting on",
        "action plan",
        "health",
    ]

    def row(p) -> list[object]:
        return [
            str(p.public_id),
            p.mentor.full_name,
            p.mentor.email,
            p.mentor.department,
            p.mentee.full_name,
            p.mentee.email,
            p.mentee.department,
            p.get_status_display(),
            p.created_at.astimezone(UTC).date(),
            p.agreement_due_on,
            p.signed_at.astimezone(UTC).date() if p.signed_at else None,
            p.first_late if p.first_signed else None,
            p.status_changed_at.astimezone(UTC).date(),
            p.ends_on,
            p.held,
            p.last_held.astimezone(UTC).date() if p.last_held else None,
            "complete" if p.plan_complete else ("started" if p.plan_started else ""),
            _health(p),
        ]

    return header, (row(p) for p in rows.iterator(chunk_size=500))


def _roster(program: Program, filters: Filters):
    header = [
        "name",
        "email",
        "role",
        "department",
        "capacity",
        "joined",
        "open partnerships",
        "mentor",
        "enrolled on",
    ]
    rows = office.roster(program)
    if filters.department:
        rows = rows.filter(user__department=filters.department)

    def row(e) -> list[object]:
        return [
            e.user.full_name,
            e.user.email,
            e.get_role_display(),
            e.user.department,
            e.capacity if e.role == "mentor" else None,
            not e.invited,
            e.mentoring + e.mentored,
            e.mentor_name or "",
            e.created_at.astimezone(UTC).date(),
        ]

    return header, (row(e) for e in rows.iterator(chunk_size=500))


def _meetings(program: Program, filters: Filters):
    # Only these columns are read: the agenda, topics and place are never loaded.
    rows = (
        Meeting.objects.filter(partnership__in=selectors.pairs(program, filters).values("pk"))
        .select_related("partnership__mentor", "partnership__mentee")
        .only(
            "public_id",
            "status",
            "starts_at",
            "time_zone",
            "duration_minutes",
            "held_minutes",
            "mode_label",
            "off_platform",
            "cancelled_at",
            "partnership__public_id",
            "partnership__mentor__full_name",
            "partnership__mentee__full_name",
        )
        .order_by("starts_at", "pk")
    )
    header = [
        "meeting",
        "partnership",
        "mentor",
        "mentee",
        "starts at (UTC)",
        "time zone",
        "status",
        "mode",
        "planned minutes",
        "held minutes",
        "recorded after the fact",
    ]

    def row(m) -> list[object]:
        return [
            str(m.public_id),
            str(m.partnership.public_id),
            m.partnership.mentor.full_name,
            m.partnership.mentee.full_name,
            m.starts_at,
            m.time_zone,
            m.get_status_display(),
            m.mode_label,
            m.duration_minutes,
            m.held_minutes,
            m.off_platform,
        ]

    return header, (row(m) for m in rows.iterator(chunk_size=500))


def _suppressed(n: int) -> object:
    return n if suppression.shown(n) is not None else suppression.text(n)


def _attendance(program: Program, filters: Filters):
    """Each event's invited, accepted and attended people of these pairs (aggregates)."""
    people = selectors.pairs(program, filters)
    rows = (
        ProgramEvent.objects.filter(program=program)
        .annotate(
            invited=Count(
                "invitations__user",
                distinct=True,
                filter=Q(invitations__user__in=people.values("mentor_id"))
                | Q(invitations__user__in=people.values("mentee_id")),
            ),
            accepted=Count(
                "invitations__user",
                distinct=True,
                filter=(
                    Q(invitations__user__in=people.values("mentor_id"))
                    | Q(invitations__user__in=people.values("mentee_id"))
                )
                & Q(invitations__answer=Invitation.Answer.YES),
            ),
            attended=Count(
                "invitations__user",
                distinct=True,
                filter=(
                    Q(invitations__user__in=people.values("mentor_id"))
                    | Q(invitations__user__in=people.values("mentee_id"))
                )
                & Q(invitations__attended=True),
            ),
        )
        .order_by("starts_at", "pk")
    )
    header = ["event", "starts at (UTC)", "required", "invited", "accepted", "attended"]
    return header, (
        [
            e.title,
            e.starts_at,
            e.required,
            _suppressed(e.invited),
            _suppressed(e.accepted),
            _suppressed(e.attended),
        ]
        for e in rows
    )


def _figures(program: Program, filters: Filters):
    found = selectors.dashboard(program, filters)
    header = ["figure", "bar", "count", "of"]
    return header, (
        [figure.title, number.label, number.shown if not number.suppressed else number.text]
        + [number.of_shown if number.of is not None and number.of_shown is not None else ""]
        for figure in found.figures
        for number in figure.counts
    )
