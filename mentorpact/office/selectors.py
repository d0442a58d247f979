"""Reads for the program office, and who may see each page."""

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from mentorpact.office.models import Invitation, PeopleUpload
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.programs.selectors import get_program_for_coordinator

Role = Enrolment.Role


def require_site_admin(user) -> None:
    """Site administrators are superusers (docs/architecture.md): 404 signed out (the
    login_required decorator answers first), 403 for everyone else signed in."""
    if not user.is_authenticated:
        raise Http404
    if not user.is_superuser:
        raise PermissionDenied("Only site administrators can manage programs.")


def get_program_for_settings(user, public_id) -> Program:
    """The program for its coordinators, and for site administrators (who appoint them)."""
    if user.is_authenticated and user.is_superuser:
        program = Program.objects.filter(public_id=public_id).first()
        if program is None:
            raise Http404
        return program
    return get_program_for_coordinator(user, public_id)


def get_invitation_for_coordinator(user, program_id, invitation_id) -> Invitation:
    program = get_program_for_settings(user, program_id)
    invitation = (
        Invitation.objects.select_related("program", "user")
        .filter(program=program, public_id=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_upload_for_coordinator(user, program_id, upload_id) -> PeopleUpload:
    """A people file of the program and its import's progress: the program's coordinators
    (whoever uploaded it); partners 403, anyone else 404."""
    program = get_program_for_coordinator(user, program_id)
    upload = (
        PeopleUpload.objects.defer("content")
        .filter(program=program, public_id=upload_id)
        .select_related("program")
        .first()
    )
    if upload is None:
        raise Http404
    return upload


def all_programs(*, archived: bool = False) -> QuerySet[Program]:
    """The site administrator's list: each program with its coordinators and head count."""
    coordinators = Enrolment.objects.filter(role=Role.COORDINATOR).select_related("user")
    return (
        Program.objects.filter(archived_at__isnull=not archived)
        .annotate(people=Count("enrolments__user", distinct=True))
        .prefetch_related(Prefetch("enrolments", queryset=coordinators, to_attr="coordinators"))
        .order_by("name")
    )


def my_programs(user) -> QuerySet[Program]:
    """The programs this person coordinates, current ones first."""
    return (
        Program.objects.filter(enrolments__user=user, enrolments__role=Role.COORDINATOR)
        .annotate(people=Count("enrolments__user", distinct=True))
        .order_by("archived_at", "name")
    )


def coordinators(program: Program) -> QuerySet[Enrolment]:
    pending = Invitation.objects.filter(
        program=program,
        user=OuterRef("user"),
        role=Role.COORDINATOR,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    return (
        program.enrolments.filter(role=Role.COORDINATOR)
        .select_related("user")
        .annotate(invited=Exists(pending))
        .order_by("user__full_name", "user__email")
    )


ROSTER_STATUSES = {
    "invited": "Invited, not joined yet",
    "joined": "Joined",
    "waiting": "Waiting for a partner",
    "paired": "Paired",
}


def roster(
    program: Program, *, role: str = "", status: str = "", search: str = ""
) -> QuerySet[Enrolment]:
    """Everyone enrolled in the program, with their invitation's state and pairing, in one
    query whatever the program's size (subqueries, no per-row reads). Names, emails, roles,
    dates and counts only."""
    invitation = Invitation.objects.filter(
        program=program, user=OuterRef("user"), role=OuterRef("role")
    )
    open_ones = Partnership.objects.filter(program=program, status__in=Partnership.OPEN_STATUSES)

    def open_count(side: str):
        return Coalesce(
            Subquery(
                open_ones.filter(**{side: OuterRef("user")})
                .values(side)
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    rows = (
        program.enrolments.select_related("user")
        .only(
            "role",
            "capacity",
            "created_at",
            "program_id",
            "user__public_id",
            "user__email",
            "user__full_name",
            "user__department",
            "user__last_login",
        )
        .annotate(
            invitation_id=Subquery(invitation.values("public_id")[:1]),
            invitation_sent_at=Subquery(invitation.values("sent_at")[:1]),
            invitation_accepted_at=Subquery(invitation.values("accepted_at")[:1]),
            invited=Exists(invitation.filter(accepted_at__isnull=True, revoked_at__isnull=True)),
            mentoring=open_count("mentor"),
            mentored=open_count("mentee"),
            mentor_name=Subquery(
                open_ones.filter(mentee=OuterRef("user"))
                .order_by("-created_at")
                .values("mentor__full_name")[:1]
            ),
        )
    )
    if role in Role.values:
        rows = rows.filter(role=role)
    if status == "invited":
        rows = rows.filter(invited=True)
    elif status == "joined":
        rows = rows.filter(invited=False)
    elif status in ("waiting", "paired"):
        waiting = Q(role=Role.MENTEE, mentored=0) | Q(role=Role.MENTOR, mentoring__lt=F("capacity"))
        rows = rows.filter(role__in=[Role.MENTOR, Role.MENTEE])
        rows = rows.filter(waiting) if status == "waiting" else rows.exclude(waiting)
    search = search.strip()
    if search:
        rows = rows.filter(Q(user__full_name__icontains=search) | Q(user__email__icontains=search))
    return rows.order_by("role", "user__full_name", "user__email", "pk")


def program_invitations(program: Program) -> QuerySet[Invitation]:
    """Every invitation the program sent, newest first, with its person (the REST API)."""
    return (
        Invitation.objects.filter(program=program)
        .select_related("user")
        .only(
            "public_id",
            "role",
            "sent_at",
            "accepted_at",
            "revoked_at",
            "created_at",
            "user__public_id",
            "user__email",
        )
        .order_by("-created_at", "-id")
    )
