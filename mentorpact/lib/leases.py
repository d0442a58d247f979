"""Due work sent at least once by any number of workers: claim a row with a lease, do the
work, then mark the row with a conditional UPDATE that names the claim.

A table of due work has `due_at`, `lease_until`, `claimed_by`, `sent_at`, `gave_up_at`,
`attempts`, `failed_at` and `last_error` (the outbox's emails, the webhooks' deliveries).
A worker killed at any point leaves an unclaimed row, a row whose lease runs out (and is
claimed again), or a sent one; of two workers that read the same candidate, the conditional
UPDATE changes it for one only, as its WHERE repeats "unsent, not given up, lease free".
"""

import datetime
import os
import socket
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models import F, Q

CANDIDATES = 50  # read at a time; another worker may claim some of them first


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def free(now: datetime.datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def _open(now: datetime.datetime) -> Q:
    return free(now) & Q(sent_at__isnull=True, gave_up_at__isnull=True)


def claim(
    queryset: models.QuerySet,
    *,
    worker: str,
    now: datetime.datetime,
    lease: datetime.timedelta,
    ids: Iterable[int] | None = None,
) -> tuple[Any, str] | None:
    """Claim the next due row of `queryset` (among `ids`, if given): the row, read again from
    `queryset` after the claim, and this claim's token."""
    pending = queryset.filter(_open(now), due_at__lte=now)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    rows = queryset.model.objects
    for candidate in pending.order_by("due_at", "id").values_list("pk", flat=True)[:CANDIDATES]:
        token = f"{worker}:{uuid.uuid4().hex[:8]}"
        changed = rows.filter(_open(now), pk=candidate).update(
            lease_until=now + lease, claimed_by=token
        )
        if changed == 1:
            return queryset.get(pk=candidate), token
    return None


def _mine(row: models.Model, token: str) -> models.QuerySet:
    return type(row)._default_manager.filter(pk=row.pk, claimed_by=token, sent_at__isnull=True)


def mark_sent(row: models.Model, *, token: str, now: datetime.datetime, **fields: Any) -> int:
    """Mark a claimed row sent (only after the work is done: a kill before this sends it
    again once the lease runs out)."""
    return _mine(row, token).update(sent_at=now, lease_until=None, **fields)


def mark_failed(
    row: Any,
    *,
    token: str,
    now: datetime.datetime,
    error: Exception,
    max_attempts: int,
    backoff: Callable[[int], datetime.timedelta],
    **fields: Any,
) -> tuple[bool, bool]:
    """Count a failed attempt of a claimed row: due again after `backoff(attempt)`, or given
    up at `max_attempts`. Whether this claim still held the row, and whether it gave up."""
    attempt = row.attempts + 1
    given_up = attempt >= max_attempts
    changed = _mine(row, token).update(
        attempts=F("attempts") + 1,
        failed_at=now,
        last_error=f"{type(error).__name__}: {error}"[:500],
        due_at=now + backoff(attempt),
        lease_until=None,
        gave_up_at=now if given_up else None,
        **fields,
    )
    return bool(changed), given_up


def send_due(
    claim_next: Callable[[], tuple[Any, str] | None],
    send: Callable[[Any, str], str],
    *,
    limit: int,
) -> dict[str, int]:
    """Claim and send due rows one at a time until none is left (or `limit`); count what
    each send returned ("sent", "failed", "gave_up"). A failed row falls due again only after
    its backoff, so this ends."""
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for _ in range(limit):
        claimed = claim_next()
        if claimed is None:
            break
        counts[send(*claimed)] += 1
    return counts
