"""Reads for programs and the coordinator's access to them."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.progress import selectors as progress


def get_program_for_coordinator(user, public_id) -> Program:
    """The program if this person coordinates it; 403 for its partners, 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    roles = set(
        Enrolment.objects.filter(user=user, program__public_id=public_id).values_list(
            "role", flat=True
        )
    )
    if not roles:
        raise Http404
    if Enrolment.Role.COORDINATOR not in roles:
        raise PermissionDenied("Only the program's coordinators can see its overview.")
    return Program.objects.get(public_id=public_id)


def programs_coordinated_by(user) -> QuerySet[Program]:
    return Program.objects.filter(
        enrolments__user=user, enrolments__role=Enrolment.Role.COORDINATOR
    ).order_by("name")


def program_partnerships(program: Program, *, status: str | None = None) -> QuerySet[Partnership]:
    """The coordinator's list: metadata only (names, status, dates), never agreement content."""
    qs = program.partnerships.select_related("mentor", "mentee").only(
        "public_id",
        "status",
        "created_at",
        "started_on",
        "ends_on",
        "status_changed_at",
        "program_id",
        "mentor__full_name",
        "mentor__email",
        "mentee__full_name",
        "mentee__email",
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def status_counts(program: Program) -> dict[str, int]:
    counts = dict(program.partnerships.values_list("status").annotate(n=Count("id")).order_by())
    return {value: counts.get(value, 0) for value in Partnership.Status.values}


@dataclass(frozen=True)
class ProgramHealth:
    """Each partnership's health (progress.selectors.Health) by id, and the program's totals."""

    by_partnership: dict[int, progress.Health]

    def count(self, attribute: str) -> int:
        return sum(1 for health in self.by_partnership.values() if getattr(health, attribute))

    @property
    def overdue_agreements(self) -> int:
        return self.count("agreement_overdue")

    @property
    def contact_overdue(self) -> int:
        return self.count("contact_overdue")

    @property
    def needing_attention(self) -> list[int]:
        return [pk for pk, health in self.by_partnership.items() if health.needs_attention]


def program_health(program: Program) -> ProgramHealth:
    """Every partnership's health against its terms, in a fixed number of queries: the
    program's totals need all of them, not only the page's. Dates and statuses only."""
    partnerships = list(
        program.partnerships.only(
            "public_id", "status", "program_id", "started_on", "ends_on", "created_at"
        )
    )
    for partnership in partnerships:
        partnership.program = program  # one program: no query per row
    rows = progress.progress_of_many(partnerships, role="coordinator")
    return ProgramHealth({pk: progress.health_of(row) for pk, row in rows.items()})
