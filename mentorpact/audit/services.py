"""Writing the audit trail: `record(...)`, the one function every service calls."""

import json
from datetime import datetime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from mentorpact.audit import chain, context
from mentorpact.audit.models import ChainHead, Event


def record(*args: Any, **kwargs: Any) -> Event:
    """Record that `actor` did `action` ("<area>.<kind>") to `on`, at `now` (default: now).

    The event belongs to `partnership` (default: `on` itself if it is one, else the
    partnership `on` belongs to) and to that partnership's or `on`'s program. `ip` defaults to
    the client address of the request being served (`audit.context`), none outside a request.
    `details` must be JSON and non-confidential: ids, numbers, dates, statuses, field keys.
    Call it inside the service's transaction, so the event exists exactly when the change does.
    """
    recorded = event(*args, **kwargs)
    record_all([recorded])
    return recorded


def record_all(events: list[Event], *, batch_size: int | None = None) -> list[Event]:
    """Record many events made by `event(...)` in one INSERT (a people import's), chained in
    the order given."""
    if not events:
        return events
    # Inside the caller's transaction (no savepoint of its own: a failed insert fails the
    # caller's change too), or one of its own: the head stays locked until the events commit.
    with transaction.atomic(savepoint=False):
        return _chain_and_insert(events, batch_size)


def _chain_and_insert(events: list[Event], batch_size: int | None) -> list[Event]:
    seq, previous = _lock_head()
    for recorded in events:
        seq += 1
        # What is hashed is what the database gives back: JSON, not Python's tuples or keys.
        recorded.details = json.loads(json.dumps(recorded.details))
        recorded.seq = seq
        recorded.hash = previous = chain.link(previous, recorded)
    if len(events) == 1:
        events[0].save(force_insert=True)
        return events
    return Event.objects.bulk_create(events, batch_size=batch_size)


def _lock_head() -> tuple[int, str]:
    """The chain's last (seq, hash), its row locked until our transaction ends.

    A no-op UPDATE, not a SELECT: it takes PostgreSQL's row lock (a second writer waits here,
    then reads the head the first one left) and SQLite's write lock in one query, so two
    writers cannot both extend the same event. The insert trigger moves the head on.
    """
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_chainhead SET seq = seq WHERE id = 1 RETURNING seq, hash")
        row = cursor.fetchone()
    if row is None:  # a new database, or one emptied by flush: the chain starts
        ChainHead.objects.bulk_create(
            [ChainHead(pk=1, seq=0, hash=chain.GENESIS)], ignore_conflicts=True
        )
        return _lock_head()
    return int(row[0]), str(row[1])


def event(
    action: str,
    *,
    on: models.Model | None = None,
    actor: Any = None,
    partnership: models.Model | None = None,
    program_id: int | None = None,
    now: datetime | None = None,
    ip: str | None = None,
    **details: Any,
) -> Event:
    """The event `record` saves, unsaved (for `record_all`); arguments as for `record`."""
    partnership_id = None
    if partnership is not None:
        partnership_id = partnership.pk
    elif on is not None and on._meta.model_name == "partnership":
        partnership_id = on.pk
    elif on is not None:
        partnership_id = getattr(on, "partnership_id", None)
    if program_id is None:
        program_id = getattr(partnership, "program_id", None) or getattr(on, "program_id", None)
    return Event(
        # timezone.now() is looked up when called (not bound as a default), so a caller's
        # clock is the one used.
        at=now or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        ip=ip or context.client_ip(),
        action=action,
        object_type=str(on._meta.model_name) if on is not None else "",
        object_id=on.pk if on is not None else None,
        partnership_id=partnership_id,
        program_id=program_id,
        details=details,
    )
