"""Writes for webhooks: a program's endpoints (added, removed) and `emit`, which every
service that makes a subscribed event happen calls inside its own transaction."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.programs.models import Program
from mentorpact.webhooks import addresses, signing, tasks
from mentorpact.webhooks.models import Delivery, Endpoint, Event

MAX_ENDPOINTS = 10  # per program


def url_problem(url: str) -> str | None:
    """Why `url` cannot receive deliveries, or None: its form (addresses.scheme_problem),
    then the addresses its host resolves to now (addresses.vetted). A name that does not
    resolve today is taken: every delivery resolves and vets it again."""
    problem = addresses.scheme_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    try:
        addresses.vetted(parts.hostname or "", parts.port or 443)
    except addresses.Refused as refused:
        return f"Deliveries go to public internet addresses only: {refused}"
    except (OSError, UnicodeError):
        return None
    return None


@transaction.atomic
def add_endpoint(
    *, program: Program, actor: User, url: str, events: list[str], now: datetime | None = None
) -> tuple[Endpoint, str]:
    """A new endpoint and its signing secret (shown to the coordinator once)."""
    now = now or timezone.now()
    problem = url_problem(url)
    if problem:
        raise ValidationError({"url": problem})
    unknown = set(events) - set(Event.values)
    if not events or unknown:
        raise ValidationError({"events": "Choose at least one event."})
    if program.webhooks.filter(removed_at__isnull=True).count() >= MAX_ENDPOINTS:
        raise ValidationError({"url": f"A program has at most {MAX_ENDPOINTS} endpoints."})
    secret = signing.new_secret()
    endpoint = Endpoint(
        program=program,
        url=url,
        events=sorted(set(events)),
        secret=secret,
        created_by=actor,
        created_at=now,
    )
    endpoint.full_clean()
    endpoint.save()
    audit.record(
        "webhook.endpoint_added",
        on=endpoint,
        actor=actor,
        program_id=program.pk,
        now=now,
        endpoint=str(endpoint.public_id),
        events=endpoint.events,
    )
    return endpoint, secret


@transaction.atomic
def remove_endpoint(*, endpoint: Endpoint, actor: User, now: datetime | None = None) -> bool:
    """No more deliveries to it, from now on (those still due are given up)."""
    now = now or timezone.now()
    if not Endpoint.objects.filter(pk=endpoint.pk, removed_at__isnull=True).update(removed_at=now):
        return False
    Delivery.objects.filter(
        endpoint=endpoint, sent_at__isnull=True, gave_up_at__isnull=True
    ).update(gave_up_at=now, lease_until=None, last_error="The endpoint was removed.")
    audit.record(
        "webhook.endpoint_removed",
        on=endpoint,
        actor=actor,
        program_id=endpoint.program_id,
        now=now,
        endpoint=str(endpoint.public_id),
    )
    return True


def emit(
    *, program_id: int, event: str, data: dict[str, Any], now: datetime | None = None
) -> list[int]:
    """One delivery per live endpoint of the program subscribed to `event`, written in the
    caller's transaction (so it exists exactly when the change does) and sent once that
    commits. `data` holds ids, statuses, dates and kinds only (models.py)."""
    now = now or timezone.now()
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(program_id=program_id, removed_at__isnull=True)
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    program = Program.objects.only("public_id").get(pk=program_id)
    rows = []
    for endpoint in endpoints:
        delivery = Delivery(endpoint=endpoint, event=event, created_at=now, due_at=now)
        delivery.payload = {
            "id": str(delivery.public_id),
            "event": event,
            "created_at": now.isoformat(),
            "program": str(program.public_id),
            "data": data,
        }
        rows.append(delivery)
    ids = [row.pk for row in Delivery.objects.bulk_create(rows)]
    transaction.on_commit(lambda: tasks.deliver_webhooks.enqueue(ids))
    return ids
