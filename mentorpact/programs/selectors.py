"""Reads for programs and the coordinator's access to them."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from mentorpact.programs.models import Enrolment, Program


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
