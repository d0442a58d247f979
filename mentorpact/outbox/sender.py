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
import os
import socket
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from mentorpact.audit.services import record
from mentorpact.lib import emails, stored_files
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


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _free(now: datetime.datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def claim(
    *, worker: str, now: datetime.datetime | None = None, ids: Iterable[int] | None = None
) -> tuple[Email, str] | None:
    """Claim the next due row (among `ids`, if given): the row and this claim's token.

    Of two senders that read the same candidate, the conditional UPDATE changes the row for
    one only: its WHERE repeats "unsent, not given up, lease free"."""
    now = now or timezone.now()
    pending = Email.objects.filter(
        _free(now), sent_at__isnull=True, gave_up_at__isnull=True, due_at__lte=now
    )
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    for candidate in pending.order_by("due_at", "id").values_list("pk", flat=True)[:50]:
        token = f"{worker}:{uuid.uuid4().hex[:8]}"
        changed = (
            Email.objects.filter(_free(now), pk=candidate, sent_at__isnull=True)
            .filter(gave_up_at__isnull=True)
            .update(lease_until=now + lease(), claimed_by=token)
        )
        if changed == 1:
            return Email.objects.get(pk=candidate), token
    return None


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
    Email.objects.filter(pk=email.pk, claimed_by=token, sent_at__isnull=True).update(
        sent_at=timezone.now(), lease_until=None
    )
    return "sent"


def _failed(email: Email, *, token: str, error: Exception) -> str:
    now = timezone.now()
    attempt = email.attempts + 1
    logger.exception("Email %s (%s) failed, attempt %s", email.pk, email.kind, attempt)
    given_up = attempt >= MAX_ATTEMPTS
    mine = Email.objects.filter(pk=email.pk, claimed_by=token, sent_at__isnull=True)
    changed = mine.update(
        attempts=F("attempts") + 1,
        failed_at=now,
        last_error=f"{type(error).__name__}: {error}"[:500],
        due_at=now + backoff(attempt),
        lease_until=None,
        gave_up_at=now if given_up else None,
    )
    if changed and given_up:
        record("outbox.gave_up", on=email, now=now, kind=email.kind, attempts=attempt)
    return "gave_up" if given_up else "failed"


def deliver(ids: Iterable[int], *, worker: str | None = None) -> dict[str, int]:
    """Send the rows `ids` that are due and free now (a task's own, just enqueued)."""
    return send_due(worker=worker, ids=list(ids))


def send_due(
    *, worker: str | None = None, ids: list[int] | None = None, limit: int = 500
) -> dict[str, int]:
    """Claim and send due rows one at a time until none is left (or `limit`); count them."""
    worker = worker or this_worker()
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for _ in range(limit):
        # A failed row falls due again only after its backoff, so this loop ends.
        claimed = claim(worker=worker, ids=ids)
        if claimed is None:
            break
        counts[send(claimed[0], token=claimed[1])] += 1
    return counts
