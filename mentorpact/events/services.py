"""Writes for program events: create (invitations emailed with an .ics and a reminder the
day before, both outbox rows written with the event), answer, record attendance. Each an
audit event (counts and answers, never a reason for absence)."""

import datetime
from dataclasses import dataclass
from functools import partial
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.events import ical, selectors
from mentorpact.events.models import ROLES, EventAction, Invitation, ProgramEvent
from mentorpact.lib import emails
from mentorpact.outbox import services as outbox
from mentorpact.outbox import tasks as outbox_tasks
from mentorpact.programs import signals as program_signals
from mentorpact.programs.models import Enrolment, Program

REMINDER_BEFORE = datetime.timedelta(days=1)


class EventError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class EventDetails:
    title: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    place: str
    capacity: int | None
    invited_roles: list[str]
    required: bool


def _check(details: EventDetails, now: datetime.datetime) -> None:
    if details.starts_at <= now:
        raise EventError("Choose a time in the future.", field="date")
    if details.ends_at <= details.starts_at:
        raise EventError("It must end after it starts.", field="end_time")
    if not details.invited_roles or set(details.invited_roles) - set(ROLES):
        raise EventError("Invite mentors, mentees or both.", field="invited_roles")


@transaction.atomic
def create_event(
    *, program: Program, actor: User, details: EventDetails, now: datetime.datetime | None = None
) -> ProgramEvent:
    now = now or timezone.now()
    _check(details, now)
    event = ProgramEvent(program=program, created_by=actor, created_at=now, **details.__dict__)
    event.full_clean()
    event.save()
    people = Enrolment.objects.filter(
        program=program, role__in=details.invited_roles
    ).select_related("user")
    invitations = Invitation.objects.bulk_create(
        [Invitation(event=event, user=e.user, role=e.role) for e in people]
    )
    audit.record(
        EventAction.CREATED,
        on=event,
        actor=actor,
        program_id=program.pk,
        now=now,
        invited=len(invitations),
        required=details.required,
    )
    ids = []
    ics = outbox.stored_file("event.ics", ical.event_ics(event), "text/calendar")
    for invitation in invitations:
        ids.append(_email(event, invitation, "event-invitation", attachments=[ics]))
        reminder_at = event.starts_at - REMINDER_BEFORE
        if reminder_at > now:
            # Due work: an outbox row with a future due_at, sent by the outbox's sweep.
            _email(event, invitation, "event-reminder", due_at=reminder_at)
    for email_id in ids:
        transaction.on_commit(partial(outbox_tasks.deliver_email.enqueue, email_id=email_id))
    if details.required:
        # A required event is due from the invited partners: their pairs' due items follow.
        program_signals.terms_changed.send(sender=Program, program=program)
    return event


def _email(event, invitation, name: str, *, attachments=(), due_at=None) -> int:
    person = invitation.user
    rendered = emails.render(
        name,
        {
            "event": event,
            "person": person,
            "required": event.required,
            "starts": timezone.localtime(event.starts_at, ZoneInfo(person.time_zone or "UTC")),
            "url": emails.absolute(reverse("events:event", args=[event.public_id])),
        },
    )
    row = outbox.enqueue(
        key=f"{name}:{event.pk}:{person.pk}",
        kind=name,
        to=person.email,
        rendered=rendered,
        attachments=attachments,
        program_id=event.program_id,
        now=due_at,
    )
    return row.pk


@transaction.atomic
def answer(
    *,
    invitation: Invitation,
    user: User,
    answer: str,
    absence_reason: str = "",
    now: datetime.datetime | None = None,
) -> Invitation:
    if invitation.user_id != user.pk:
        raise EventError("Only the invitee answers.")
    if answer not in Invitation.Answer.values:
        raise EventError("Choose yes, no or maybe.", field="answer")
    event = invitation.event
    now = now or timezone.now()
    if event.starts_at <= now:
        raise EventError("This event has started: answers are closed.", field="answer")
    reason = (absence_reason or "").strip()
    if event.required and answer == Invitation.Answer.NO and not reason:
        raise EventError(
            "This event is required: give the reason for your absence.", field="absence_reason"
        )
    if len(reason) > 1000:
        raise EventError("Keep it under 1000 characters.", field="absence_reason")
    if (
        answer == Invitation.Answer.YES
        and invitation.answer != Invitation.Answer.YES
        and event.capacity is not None
        and selectors.yes_count(event) >= event.capacity
    ):
        raise EventError("This event is full.", field="answer")
    invitation.answer = answer
    invitation.absence_reason = reason if answer == Invitation.Answer.NO else ""
    invitation.answered_at = now
    invitation.save(update_fields=["answer", "absence_reason", "answered_at"])
    audit.record(
        EventAction.ANSWERED,
        on=event,
        actor=user,
        program_id=event.program_id,
        now=now,
        answer=answer,
    )
    return invitation


@transaction.atomic
def record_attendance(
    *,
    event: ProgramEvent,
    actor: User,
    attended_user_ids: set[int],
    now: datetime.datetime | None = None,
) -> int:
    """Mark every invitee present or absent (from a checklist or a CSV of attendees)."""
    now = now or timezone.now()
    if event.starts_at > now:
        raise EventError("Attendance is recorded once the event has started.")
    rows = list(event.invitations.all())
    for row in rows:
        row.attended = row.user_id in attended_user_ids
    Invitation.objects.bulk_update(rows, ["attended"])
    ProgramEvent.objects.filter(pk=event.pk).update(attendance_recorded_at=now)
    present = sum(1 for row in rows if row.attended)
    audit.record(
        EventAction.ATTENDANCE,
        on=event,
        actor=actor,
        program_id=event.program_id,
        now=now,
        attended=present,
        absent=len(rows) - present,
    )
    return present
