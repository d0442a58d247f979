"""Writing the audit trail: `record(...)`, the one function every service calls."""

from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from mentorpact.audit import context
from mentorpact.audit.models import Event


def record(*args: Any, **kwargs: Any) -> Event:
    """Record that `actor` did `action` ("<area>.<kind>") to `on`, at `now` (default: now).

    The event belongs to `partnership` (default: `on` itself if it is one, else the
    partnership `on` belongs to) and to that partnership's or `on`'s program. `ip` defaults to
    the client address of the request being served (`audit.context`), none outside a request.
    `details` must be JSON and non-confidential: ids, numbers, dates, statuses, field keys.
    Call it inside the service's transaction, so the event exists exactly when the change does.
    """
    recorded = event(*args, **kwargs)
    recorded.save()
    return recorded


def record_all(events: list[Event]) -> list[Event]:
    """Record many events made by `event(...)` in one INSERT (a people import's)."""
    return Event.objects.bulk_create(events)


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
