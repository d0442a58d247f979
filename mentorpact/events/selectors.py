"""Reads for program events, and who may see which: the program's coordinators see its
events with every invitation; an invitee sees the event and their own invitation."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentorpact.events.models import Invitation, ProgramEvent
from mentorpact.programs.models import Enrolment, Program


def _coordinates(user, program_id: int) -> bool:
    return Enrolment.objects.filter(
        user=user, program_id=program_id, role=Enrolment.Role.COORDINATOR
    ).exists()


def get_event_for_viewer(user, public_id) -> tuple[ProgramEvent, Invitation | None, bool]:
    """The event, the viewer's invitation (None for a coordinator not invited), and whether
    they coordinate its program; anyone else 404."""
    if not user.is_authenticated:
        raise Http404
    event = ProgramEvent.objects.select_related("program").filter(public_id=public_id).first()
    if event is None:
        raise Http404
    invitation = Invitation.objects.filter(event=event, user=user).first()
    coordinator = _coordinates(user, event.program_id)
    if invitation is None and not coordinator:
        raise Http404
    return event, invitation, coordinator


def get_event_for_coordinator(user, public_id) -> ProgramEvent:
    event, _invitation, coordinator = get_event_for_viewer(user, public_id)
    if not coordinator:
        raise PermissionDenied("Only the program's coordinators record attendance.")
    return event


def program_events(program: Program) -> QuerySet[ProgramEvent]:
    """Each event with its counts: invited, yes, no, maybe, attended, and required absences
    (invited to a required event, attendance recorded, not there)."""
    return program.events.annotate(
        invited=Count("invitations"),
        yes=Count("invitations", filter=Q(invitations__answer="yes")),
        no=Count("invitations", filter=Q(invitations__answer="no")),
        maybe=Count("invitations", filter=Q(invitations__answer="maybe")),
        attended=Count("invitations", filter=Q(invitations__attended=True)),
        missed=Count("invitations", filter=Q(invitations__attended=False)),
    ).order_by("-starts_at", "-id")


def invitations(event: ProgramEvent) -> QuerySet[Invitation]:
    return event.invitations.select_related("user").order_by("user__full_name", "user__email")


def missed_required(program: Program) -> QuerySet[Invitation]:
    """Who missed a required event (attendance recorded, not there), with any notice given."""
    return (
        Invitation.objects.filter(event__program=program, event__required=True, attended=False)
        .select_related("user", "event")
        .order_by("-event__starts_at", "user__full_name")
    )


def events_for(user) -> QuerySet[Invitation]:
    """The events this person is invited to, next first."""
    return (
        Invitation.objects.filter(user=user)
        .select_related("event__program")
        .order_by("event__starts_at", "id")
    )


def yes_count(event: ProgramEvent) -> int:
    return event.invitations.filter(answer=Invitation.Answer.YES).count()


def feed_invitations(user) -> QuerySet[Invitation]:
    """This person's invitations to program events, but those they declined: what their
    calendar feed carries (events.ical.feed_entries)."""
    return (
        Invitation.objects.filter(user=user)
        .exclude(answer=Invitation.Answer.NO)
        .select_related("event__program")
        .order_by("event__starts_at", "id")
    )


def upcoming_for(user, program_id: int, *, limit: int = 5) -> QuerySet[Invitation]:
    """The partnership page's list: this person's next events in the partnership's program."""
    return (
        Invitation.objects.filter(
            user=user, event__program_id=program_id, event__ends_at__gte=timezone.now()
        )
        .select_related("event")
        .order_by("event__starts_at", "id")[:limit]
    )


def required_by_person(
    user_ids: set[int], program_ids: set[int], *, now
) -> dict[tuple[int, int], list[Invitation]]:
    """{(program id, user id): their invitations to required events not yet over}, in one
    query: progress's "due next" lists them for the pair."""
    out: dict[tuple[int, int], list[Invitation]] = {}
    for invitation in (
        Invitation.objects.filter(
            user_id__in=user_ids,
            event__program_id__in=program_ids,
            event__required=True,
            event__ends_at__gte=now,
        )
        .select_related("event")
        .order_by("event__starts_at", "id")
    ):
        out.setdefault((invitation.event.program_id, invitation.user_id), []).append(invitation)
    return out
