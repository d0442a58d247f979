"""Writes to the outbox: enqueue an email (idempotently, by its key) and retry one the sender
gave up on."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorpact.audit.services import record
from mentorpact.lib.emails import Rendered
from mentorpact.outbox import tasks
from mentorpact.outbox.models import Email


class OutboxError(Exception):
    pass


@transaction.atomic
def enqueue(
    *,
    key: str,
    kind: str,
    to: str,
    rendered: Rendered,
    attachments: Sequence[dict[str, str]] = (),
    program_id: int | None = None,
    partnership_id: int | None = None,
    now: datetime.datetime | None = None,
) -> Email:
    """The outbox row for `key`: made now, with its Message-ID fixed, unless it exists (a task
    run again after a crash enqueues nothing twice). Send it with `sender.deliver`."""
    existing = Email.objects.filter(key=key).first()
    if existing is not None:
        return existing
    email = Email(
        key=key,
        kind=kind,
        to=to,
        subject=rendered.subject,
        body=rendered.body,
        html=rendered.html,
        attachments=list(attachments),
        program_id=program_id,
        partnership_id=partnership_id,
        due_at=now or timezone.now(),
    )
    email.full_clean(exclude=["message_id"])
    try:
        # A savepoint: a second worker enqueueing the same key at the same moment loses the
        # race on the unique index and reads the winner's row.
        with transaction.atomic():
            email.save()
    except IntegrityError:
        return Email.objects.get(key=key)
    return email


@transaction.atomic
def retry_email(*, email: Email, actor: Any, now: datetime.datetime | None = None) -> Email:
    """Send a given-up email again: its attempts start over, under the same Message-ID."""
    now = now or timezone.now()
    changed = Email.objects.filter(
        pk=email.pk, gave_up_at__isnull=False, sent_at__isnull=True
    ).update(gave_up_at=None, attempts=0, due_at=now, lease_until=None, claimed_by="")
    if changed != 1:
        raise OutboxError("Only an email that was given up on can be retried.")
    email.refresh_from_db()
    record("outbox.retried", on=email, actor=actor, now=now, kind=email.kind, email=email.pk)
    transaction.on_commit(lambda: tasks.deliver_email.enqueue(email_id=email.pk))
    return email
