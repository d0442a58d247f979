"""Writes to the outbox: enqueue an email (idempotently, by its key), `post` one from a task
(render, enqueue, send), and retry one the sender gave up on."""

import datetime
import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from mentorpact.audit.services import record
from mentorpact.lib import emails, stored_files
from mentorpact.lib.emails import Rendered
from mentorpact.outbox import sender, tasks
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


def stored_file(filename: str, content: bytes, mimetype: str) -> dict[str, str]:
    """A file to attach to an outbox row, kept encrypted (lib.stored_files: a calendar file
    names the meeting's place, which is encrypted at rest) in default storage under the
    SHA-256 of its content; the sender decrypts it and checks the hash when it reads it back."""
    digest = hashlib.sha256(content).hexdigest()
    path = f"outbox/{digest[:2]}/{digest}/{get_valid_filename(filename)}.fernet"
    if not default_storage.exists(path):
        path = stored_files.save(path, content)
    return {
        "filename": filename,
        "path": path,
        "mimetype": mimetype,
        "sha256": digest,
    }


def post(
    name: str,
    *,
    key: str,
    to: str,
    context: dict,
    files: Sequence[tuple[str, bytes, str]] = (),
    program_id: int | None = None,
    partnership_id: int | None = None,
) -> Email:
    """Render the email `name` (templates/emails/), write it to the outbox under `key` and send
    it now. For tasks, outside a transaction: a task run again after a crash finds the row by
    its key and sends nothing twice; a send that fails is retried by the loop's sweep."""
    email = Email.objects.filter(key=key).first()
    if email is None:
        email = enqueue(
            key=key,
            kind=name,
            to=to,
            rendered=emails.render(name, context),
            attachments=[stored_file(*file) for file in files],
            program_id=program_id,
            partnership_id=partnership_id,
        )
    sender.deliver([email.pk])
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
