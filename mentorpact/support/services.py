"""Writes for help requests. Every step is an audit event (kinds, outcomes, no text), and
every email is an outbox row written in the same transaction, delivered once it commits.
The emails name the partnership and link to the request; what was written stays on the
request's page (docs/architecture.md, "support")."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.lib import emails
from mentorpact.outbox import services as outbox
from mentorpact.outbox import tasks as outbox_tasks
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import closed_message
from mentorpact.support import selectors
from mentorpact.support.models import MAX_MESSAGE_CHARS, HelpMessage, HelpRequest, SupportAction
from mentorpact.webhooks import services as webhooks
from mentorpact.webhooks.models import Event as WebhookEvent


class SupportError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise SupportError("Write a few words for the program.", field=field)
    if len(text) > MAX_MESSAGE_CHARS:
        raise SupportError(
            f"Keep it under {MAX_MESSAGE_CHARS} characters (this has {len(text)}).", field=field
        )
    return text


def _send(rows: list[int]) -> None:
    """Deliver the outbox rows once the change commits (the outbox's sweep sends them later
    if the worker is down)."""
    for email_id in rows:
        transaction.on_commit(partial(outbox_tasks.deliver_email.enqueue, email_id=email_id))


def _email(name: str, *, key: str, to: str, request: HelpRequest, **context) -> int:
    partnership = request.partnership
    rendered = emails.render(
        name,
        {
            "request": request,
            "partnership": partnership,
            "url": emails.absolute(reverse("support:request", args=[request.public_id])),
            **context,
        },
    )
    row = outbox.enqueue(
        key=key,
        kind=name,
        to=to,
        rendered=rendered,
        program_id=partnership.program_id,
        partnership_id=partnership.pk,
    )
    return row.pk


def _tell_program(request: HelpRequest, *, followup: HelpMessage | None = None) -> None:
    about = f"{request.pk}:{followup.pk}" if followup else str(request.pk)
    _send(
        [
            _email(
                "support-raised",
                key=f"support-raised:{about}:{address.lower()}",
                to=address,
                request=request,
                followup=followup is not None,
            )
            for address in selectors.program_recipients(request.partnership.program)
        ]
    )


@transaction.atomic
def raise_request(
    *,
    partnership: Partnership,
    user: User,
    kind: str,
    message: str,
    partner_may_know: bool,
    now: datetime | None = None,
) -> HelpRequest:
    """A partner asks the program for help; the partnership goes on as it was."""
    role = partnership.role_of(user)
    if role is None:
        raise SupportError("Only the mentor and mentee can ask for help here.")
    refusal = closed_message(partnership, fresh=True)
    if refusal:
        raise SupportError(
            refusal
            + " Write to the program directly if you need its help: "
            + (partnership.program.contact_email or "ask your coordinator.")
        )
    if kind not in HelpRequest.Kind.values:
        raise SupportError("Choose what you are asking for.", field="kind")
    now = now or timezone.now()
    request = HelpRequest(
        partnership=partnership,
        requester=user,
        requester_role=role,
        kind=kind,
        message=_text(message, "message"),
        partner_may_know=partner_may_know,
        created_at=now,
        updated_at=now,
    )
    request.full_clean()
    request.save()
    audit.record(
        SupportAction.RAISED,
        on=request,
        actor=user,
        partnership=partnership,
        now=now,
        kind=kind,
        role=role,
        partner_may_know=partner_may_know,
    )
    webhooks.emit(
        program_id=partnership.program_id,
        event=WebhookEvent.CONCERN_RAISED,
        now=now,
        data={
            "request": str(request.public_id),
            "partnership": str(partnership.public_id),
            "kind": kind,
            "created_at": now.isoformat(),
        },
    )
    _tell_program(request)
    return request


@transaction.atomic
def add_message(
    *, request: HelpRequest, user: User, body: str, now: datetime | None = None
) -> HelpMessage:
    """A coordinator replies (the requester is emailed), or the requester writes again (the
    coordinators are emailed). A closed request takes no more messages."""
    if user.pk == request.requester_id:
        from_program = False
    elif selectors.coordinates(user, request.partnership.program_id):
        from_program = True
    else:
        raise SupportError("Only the requester and the program's coordinators can write here.")
    current = HelpRequest.objects.filter(pk=request.pk).values_list("status", flat=True).first()
    if current != HelpRequest.Status.OPEN:
        raise SupportError("This request is closed, so it takes no more messages.", field="body")
    now = now or timezone.now()
    message = HelpMessage(
        request=request,
        author=user,
        from_program=from_program,
        body=_text(body, "body"),
        created_at=now,
    )
    message.full_clean()
    message.save()
    HelpRequest.objects.filter(pk=request.pk).update(updated_at=now)
    action = SupportAction.REPLIED if from_program else SupportAction.FOLLOWED_UP
    audit.record(
        action, on=request, actor=user, partnership=request.partnership, now=now, kind=request.kind
    )
    if from_program:
        _send(
            [
                _email(
                    "support-replied",
                    key=f"support-replied:{message.pk}",
                    to=request.requester.email,
                    request=request,
                    person=request.requester,
                )
            ]
        )
    else:
        _tell_program(request, followup=message)
    return message


@transaction.atomic
def close_request(
    *, request: HelpRequest, user: User, outcome: str, now: datetime | None = None
) -> HelpRequest:
    """A coordinator closes the request with its outcome; the requester is told. Closing
    records the outcome only: ending or reassigning the partnership is done on its pages."""
    if not selectors.coordinates(user, request.partnership.program_id):
        raise SupportError("Only the program's coordinators can close a request.")
    if outcome not in HelpRequest.Outcome.values:
        raise SupportError("Choose the outcome.", field="outcome")
    now = now or timezone.now()
    # A conditional UPDATE: of two coordinators closing at once, one closes it.
    closed = HelpRequest.objects.filter(pk=request.pk, status=HelpRequest.Status.OPEN).update(
        status=HelpRequest.Status.CLOSED,
        outcome=outcome,
        closed_at=now,
        closed_by=user,
        updated_at=now,
    )
    if closed != 1:
        raise SupportError("This request was closed already.", field="outcome")
    request.refresh_from_db()
    audit.record(
        SupportAction.CLOSED,
        on=request,
        actor=user,
        partnership=request.partnership,
        now=now,
        kind=request.kind,
        outcome=outcome,
    )
    _send(
        [
            _email(
                "support-closed",
                key=f"support-closed:{request.pk}",
                to=request.requester.email,
                request=request,
                person=request.requester,
            )
        ]
    )
    return request
