"""Sending the outbox: claim a row with a lease, send it under its Message-ID, then mark it.

Runs in autocommit, never inside a transaction: each claim and each mark is committed by
itself, so a worker killed at any point leaves either an unclaimed row, a row whose lease will
run out (and is then claimed again), or a sent row. Called by the tasks that enqueue mail
(`deliver`, at once) and by every pass of `manage.py send_reminders --loop` (`send_due`: what
is due again after a backoff, and what a dead worker left leased).
"""

import datetime
import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from mentorpact.audit.services import record
from mentorpact.lib import emails, leases, stored_files
from mentorpact.outbox.models import Email

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def lease() -> datetime.timedelta:
    # Longer than a send can take (the SMTP backend's timeout is 20 s), so a live worker's
    # lease never runs out under it.
    return datetime.timedelta(seconds=settings.MAIL_LEASE_SECONDS)


def backoff(attempt: int) -> datetime.timedelta:
    """The wait before the next try after failed attempt number `attempt` (1, 2, ...)."""
    waits = settings.MAIL_BACKOFF_SECONDS
    return datetime.timedelta(seconds=waits[min(attempt, len(waits)) - 1])


this_worker = leases.this_worker


def claim(
    *, worker: str, now: datetime.datetime | None = None, ids: Iterable[int] | None = None
) -> tuple[Email, str] | None:
    """Claim the next due row (among `ids`, if given): the row and this claim's token
    (lib.leases: of two senders that read the same candidate, one only gets it)."""
    now = now or timezone.now()
    return leases.claim(Email.objects.all(), worker=worker, now=now, lease=lease(), ids=ids)


def _attachments(email: Email) -> list[tuple[str, bytes, str]]:
    files = []
    for item in email.attachments:
        data = stored_files.read(item["path"])  # decrypted; a file from before, as it is
        if hashlib.sha256(data).hexdigest() != item["sha256"]:
            raise OSError(f"The stored attachment {item['filename']} does not match its hash.")
        files.append((item["filename"], data, item["mimetype"]))
    return files


def send(email: Email, *, token: str) -> str:
    """Send a claimed row: "sent", "failed" (due again after a backoff) or "gave_up"."""
    try:
        rendered = emails.Rendered(subject=email.subject, body=email.body, html=email.html)
        message = emails.message(
            rendered, to=[email.to], attachments=_attachments(email), message_id=email.message_id
        )
        message.send()
    except Exception as error:
        return _failed(email, token=token, error=error)
    # The mark comes only after the SMTP server accepted the message. A kill right here
    # means this row is sent again once its lease runs out: the same Message-ID, twice.
    leases.mark_sent(email, token=token, now=timezone.now())
    return "sent"


def _failed(email: Email, *, token: str, error: Exception) -> str:
    now = timezone.now()
    logger.exception("Email %s (%s) failed, attempt %s", email.pk, email.kind, email.attempts + 1)
    changed, given_up = leases.mark_failed(
        email, token=token, now=now, error=error, max_attempts=MAX_ATTEMPTS, backoff=backoff
    )
    if changed and given_up:
        record("outbox.gave_up", on=email, now=now, kind=email.kind, attempts=email.attempts + 1)
    return "gave_up" if given_up else "failed"


def deliver(ids: Iterable[int], *, worker: str | None = None) -> dict[str, int]:
    """Send the rows `ids` that are due and free now (a task's own, just enqueued)."""
    return send_due(worker=worker, ids=list(ids))


def send_due(
    *, worker: str | None = None, ids: list[int] | None = None, limit: int = 500
) -> dict[str, int]:
    """Claim and send due rows one at a time until none is left (or `limit`); count them."""
    worker = worker or this_worker()
    return leases.send_due(
        lambda: claim(worker=worker, ids=ids),
        lambda email, token: send(email, token=token),
        limit=limit,
    )
