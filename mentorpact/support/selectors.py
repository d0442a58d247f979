"""Reads for help requests, and who may see one.

A request is read by its requester and the program's coordinators; the other partner and
everyone else get 404 (the other partner is not told that a request exists unless the
program tells them).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.support.models import HelpRequest


def coordinates(user, program_id: int) -> bool:
    return Enrolment.objects.filter(
        user=user, program_id=program_id, role=Enrolment.Role.COORDINATOR
    ).exists()


def get_request_for_reader(user, public_id) -> tuple[HelpRequest, str]:
    """The request and the reader's part in it ("requester" or "coordinator")."""
    if not user.is_authenticated:
        raise Http404
    request = (
        HelpRequest.objects.select_related(
            "partnership__program", "partnership__mentor", "partnership__mentee", "requester"
        )
        .filter(public_id=public_id)
        .first()
    )
    if request is None:
        raise Http404
    if request.requester_id == user.pk:
        return request, "requester"
    if coordinates(user, request.partnership.program_id):
        return request, "coordinator"
    raise Http404


def get_request_for_coordinator(user, public_id) -> HelpRequest:
    """For closing a request: its program's coordinators; its requester 403, others 404."""
    request, part = get_request_for_reader(user, public_id)
    if part != "coordinator":
        raise PermissionDenied("Only the program's coordinators can close a request.")
    return request


def requests_of(partnership: Partnership, user) -> QuerySet[HelpRequest]:
    """What this partner asked for in this partnership (never the other partner's)."""
    return (
        HelpRequest.objects.filter(partnership=partnership, requester=user)
        .annotate(message_count=Count("messages"))
        .order_by("-created_at", "-id")
    )


def program_queue(program: Program, *, status: str = "") -> QuerySet[HelpRequest]:
    """The coordinators' queue: open requests first, each with the partnership's metadata
    (names, status, dates), never what the partners wrote to each other."""
    qs = HelpRequest.objects.filter(partnership__program=program)
    if status in HelpRequest.Status.values:
        qs = qs.filter(status=status)
    return (
        qs.select_related("partnership__mentor", "partnership__mentee", "requester")
        .defer("message")
        .annotate(message_count=Count("messages"))
        .order_by("-status", "-created_at", "-id")  # "open" after "closed" reversed: open first
    )


def open_count(program: Program) -> int:
    return HelpRequest.objects.filter(
        partnership__program=program, status=HelpRequest.Status.OPEN
    ).count()


def open_count_subquery() -> Coalesce:
    """`open_count` as a scalar subquery of a Program query (OuterRef("pk")): the overview
    reads it with its other totals in one query."""
    rows = (
        HelpRequest.objects.filter(
            partnership__program_id=OuterRef("pk"), status=HelpRequest.Status.OPEN
        )
        .order_by()
        .values("partnership__program_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def program_recipients(program: Program) -> list[str]:
    """Who hears of a new request: the program's coordinators, else its contact address."""
    coordinators = list(
        Enrolment.objects.filter(program=program, role=Enrolment.Role.COORDINATOR)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return coordinators or ([program.contact_email] if program.contact_email else [])
