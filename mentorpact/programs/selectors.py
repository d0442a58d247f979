"""Reads for programs and the coordinator's access to them."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from mentorpact.programs.models import Enrolment, Program


def get_program_for_coordinator(user, public_id) -> Program:
    """The program if this person coordinates it; 403 for its partners, 404 for anyone else.

    One query: the program with whether the person is enrolled in it and whether as a
    coordinator (every coordinator page starts here, so a second query costs each of them)."""
    if not user.is_authenticated:
        raise Http404
    mine = Enrolment.objects.filter(program=OuterRef("pk"), user=user)
    program = (
        Program.objects.filter(public_id=public_id)
        .annotate(
            viewer_enrolled=Exists(mine),
            viewer_coordinates=Exists(mine.filter(role=Enrolment.Role.COORDINATOR)),
        )
        .first()
    )
    if program is None or not program.viewer_enrolled:
        raise Http404
    if not program.viewer_coordinates:
        raise PermissionDenied("Only the program's coordinators can see its overview.")
    return program


def programs_coordinated_by(user) -> QuerySet[Program]:
    return Program.objects.filter(
        enrolments__user=user, enrolments__role=Enrolment.Role.COORDINATOR
    ).order_by("name")
