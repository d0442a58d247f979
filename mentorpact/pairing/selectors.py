"""Reads for the pairing page: mentors with their free places, mentees waiting for a mentor,
and the pairings a coordinator may still undo. Access: programs.selectors.
get_program_for_coordinator for the page, get_pairing_for_coordinator for one pairing."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from mentorpact.accounts.models import User
from mentorpact.agreements.models import Signature
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import get_partnership_for_user
from mentorpact.programs.models import Enrolment, Program

if TYPE_CHECKING:  # django-stubs' helper types: a dev dependency, so for the checker only
    from django_stubs_ext import WithAnnotations


class _Places(TypedDict):
    taken: int
    free: int


# Each list shows this many people; the search narrows it.
LIST_LIMIT = 50


@dataclass(frozen=True)
class Listing:
    """The first LIST_LIMIT matching rows, and how many match in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def _matching(qs: QuerySet, q: str, prefix: str = "user__") -> QuerySet:
    q = q.strip()
    if not q:
        return qs
    condition = Q()
    for name in ("full_name", "preferred_name", "email", "department"):
        condition |= Q(**{f"{prefix}{name}__icontains": q})
    return qs.filter(condition)


def _open(program: Program, **people) -> QuerySet:
    return Partnership.objects.filter(
        program=program, status__in=Partnership.OPEN_STATUSES, **people
    )


def _with_places(
    qs: QuerySet[Enrolment], program: Program
) -> "QuerySet[WithAnnotations[Enrolment, _Places]]":
    """Each enrolment annotated with `taken` (its person's open partnerships as mentor) and
    `free` (the places left of its capacity, never below 0)."""
    return qs.annotate(
        taken=Count(
            "user__mentoring",
            filter=Q(
                user__mentoring__program=program,
                user__mentoring__status__in=Partnership.OPEN_STATUSES,
            ),
        )
    ).annotate(free=Greatest(F("capacity") - F("taken"), Value(0)))


def mentors(program: Program, q: str = "") -> Listing:
    """The program's mentors, those with a free place first, each annotated with `taken`
    (open partnerships) and `free` (capacity left)."""
    qs = _with_places(
        _matching(Enrolment.objects.filter(program=program, role=Enrolment.Role.MENTOR), q),
        program,
    )
    total = qs.count()
    qs = qs.annotate(full=Case(When(capacity__lte=F("taken"), then=1), default=0))
    rows = list(qs.select_related("user").order_by("full", "user__full_name", "pk")[:LIST_LIMIT])
    return Listing(rows=rows, total=total)


def waiting_mentees(program: Program, q: str = "") -> Listing:
    """The program's mentees without an open partnership (never paired, or their partnership
    ended early or was undone: `reassign` is set for those who ended early)."""
    qs = (
        _matching(Enrolment.objects.filter(program=program, role=Enrolment.Role.MENTEE), q)
        # NOT IN one subquery, not a correlated NOT EXISTS per mentee: SQLite ran the latter
        # in 30 s at 5,000 paired mentees (bench/pairing.py), this in milliseconds.
        .exclude(user__in=_open(program).values("mentee_id"))
        .annotate(
            reassign=Exists(
                Partnership.objects.filter(
                    program=program,
                    mentee=OuterRef("user"),
                    status=Partnership.Status.ENDED_EARLY,
                )
            )
        )
    )
    total = qs.count()
    rows = list(qs.select_related("user").order_by("user__full_name", "pk")[:LIST_LIMIT])
    return Listing(rows=rows, total=total)


def undoable_pairings(program: Program) -> Listing:
    """Drafting partnerships nobody has signed for, newest first: they can still be undone."""
    qs = (
        Partnership.objects.filter(program=program, status=Partnership.Status.DRAFTING)
        .exclude(Exists(Signature.objects.filter(version__agreement__partnership=OuterRef("pk"))))
        .select_related("mentor", "mentee")
        .order_by("-created_at", "-id")
    )
    total = qs.count()
    return Listing(rows=list(qs[:LIST_LIMIT]), total=total)


def pinned(listing: Listing, program: Program, public_id: str, role: str) -> Listing:
    """The listing with the enrolment of the person `public_id` first, if it is not shown."""
    if not public_id or any(str(row.user.public_id) == public_id for row in listing.rows):
        return listing
    try:
        row = _with_places(
            Enrolment.objects.select_related("user").filter(
                program=program, role=role, user__public_id=public_id
            ),
            program,
        ).first()
    except ValidationError:  # not a UUID: nothing to pin
        return listing
    if row is None:
        return listing
    return Listing(rows=[row, *listing.rows], total=listing.total)


def enrolled_person(program: Program, public_id, role: str) -> User | None:
    """The person with this public id if they hold `role` in the program, else None."""
    return User.objects.filter(
        public_id=public_id, enrolments__program=program, enrolments__role=role
    ).first()


def get_pairing_for_coordinator(user, public_id) -> Partnership:
    """A partnership for its program's coordinators to undo: its partners 403, anyone else
    (a coordinator of another program too) 404."""
    access = get_partnership_for_user(user, public_id)
    if not access.is_coordinator:
        raise PermissionDenied("Only the program's coordinators can undo a pairing.")
    return access.partnership
