"""Reads for partnerships, and the one place that decides who may see which.

Every view starts with one of these getters. An outsider gets 404 (we do not confirm that
a partnership exists); a coordinator who asks for partner-only content gets 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program


@dataclass(frozen=True)
class PartnershipAccess:
    """A partnership and what the asking person is to it."""

    partnership: Partnership
    role: str  # "mentor", "mentee" or "coordinator"

    @property
    def is_partner(self) -> bool:
        return self.role in ("mentor", "mentee")

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    def name_of(self, person) -> str:
        """Partners see each other's preferred names; the coordinator sees full names."""
        return person.display_name if self.is_partner else person.full_name

    @property
    def mentor_name(self) -> str:
        return self.name_of(self.partnership.mentor)

    @property
    def mentee_name(self) -> str:
        return self.name_of(self.partnership.mentee)


def _coordinated_program_ids(user) -> QuerySet:
    return Enrolment.objects.filter(user=user, role=Enrolment.Role.COORDINATOR).values("program_id")


def get_partnership_for_user(user, public_id) -> PartnershipAccess:
    """The partnership if this person is one of its partners or coordinates its program."""
    if not user.is_authenticated:
        raise Http404
    partnership = (
        Partnership.objects.select_related("program", "mentor", "mentee")
        .filter(public_id=public_id)
        .filter(Q(mentor=user) | Q(mentee=user) | Q(program_id__in=_coordinated_program_ids(user)))
        .first()
    )
    if partnership is None:
        raise Http404
    role = partnership.role_of(user) or "coordinator"
    return PartnershipAccess(partnership=partnership, role=role)


def get_partnership_for_partner(user, public_id) -> PartnershipAccess:
    """For partner-only (confidential) content: a coordinator gets 403, an outsider 404."""
    access = get_partnership_for_user(user, public_id)
    if not access.is_partner:
        raise PermissionDenied("Only the mentor and mentee can see this.")
    return access


def partnerships_for_user(user) -> QuerySet[Partnership]:
    """'My partnerships': where this person is mentor or mentee, open ones first."""
    # Open ones (drafting or active) first, then the newest; ordering by the status text
    # would put "concluded" before "drafting".
    closed = Case(When(status__in=Partnership.OPEN_STATUSES, then=Value(0)), default=Value(1))
    return (
        Partnership.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("program", "mentor", "mentee")
        .alias(closed=closed)
        .order_by("closed", "-created_at", "-id")
    )


def closed_message(partnership: Partnership, *, fresh: bool = False) -> str:
    """Why a closed partnership's record can no longer change, or "" while it is open.

    Every app's guard against changes after closing (agreements, meetings, progress) asks
    this with `fresh=True`, so a page opened before the partnership closed cannot slip a
    change in; pages that only show the notice use the status they already loaded."""
    status: str | None = partnership.status
    if fresh:
        status = (
            Partnership.objects.filter(pk=partnership.pk).values_list("status", flat=True).first()
        )
    if status in Partnership.OPEN_STATUSES:
        return ""
    if status == Partnership.Status.UNPAIRED:
        return (
            "This pairing was undone by the program's coordinator: its record can be read and "
            "downloaded, but no longer changed."
        )
    ended = "ended early" if status == Partnership.Status.ENDED_EARLY else "concluded"
    return (
        f"This partnership has {ended}: its record can be read and downloaded, but no longer "
        "changed."
    )


def program_partnerships(program: Program, *, status: str | None = None) -> QuerySet[Partnership]:
    """The coordinator's list: metadata only (names, status, dates), never agreement content."""
    qs = program.partnerships.select_related("mentor", "mentee").only(
        "public_id",
        "status",
        "created_at",
        "started_on",
        "ends_on",
        "agreement_due_on",
        "status_changed_at",
        "facts_version",  # the overview's cached health rows are keyed by it
        "program_id",
        "mentor__public_id",
        "mentor__full_name",
        "mentor__email",
        "mentee__public_id",
        "mentee__full_name",
        "mentee__email",
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def status_counts(program: Program) -> dict[str, int]:
    counts = dict(program.partnerships.values_list("status").annotate(n=Count("id")).order_by())
    return {value: counts.get(value, 0) for value in Partnership.Status.values}


def status_count_subqueries() -> dict[str, Coalesce]:
    """`status_counts` as scalar subqueries of a Program query (OuterRef("pk")), one per
    status, so a page can read them with its other totals in one query (the overview). Each
    is a count over the overview's (program, status, -created_at) index."""

    def count(status: str) -> Coalesce:
        rows = (
            Partnership.objects.filter(program_id=OuterRef("pk"), status=status)
            .order_by()
            .values("program_id")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    return {value: count(value) for value in Partnership.Status.values}
