"""Sending webhook deliveries: claim a row with a lease, POST it signed, then mark it.

The outbox's pattern (outbox/sender.py): autocommit, never inside a transaction, so each
claim and each mark is committed by itself and a worker killed at any point leaves an
unclaimed row, a row whose lease runs out (and is claimed again), or a sent row. A receiver
may so get a delivery twice, under the same `Mentorpact-Delivery` id. Called by the task
`emit` enqueues (at once) and by every pass of `manage.py send_reminders --loop` (what is due
again after a backoff, and what a dead worker left leased).
"""

import datetime
import json
import logging
import os
import socket
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from mentorpact.audit.services import record
from mentorpact.webhooks import signing
from mentorpact.webhooks.models import Delivery

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


def max_attempts() -> int:
    return len(settings.WEBHOOK_BACKOFF_SECONDS) + 1


def backoff(attempt: int) -> datetime.timedelta:
    waits = settings.WEBHOOK_BACKOFF_SECONDS
    return datetime.timedelta(seconds=waits[min(attempt, len(waits)) - 1])


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _free(now: datetime.datetime) -> Q:
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def claim(
    *, worker: str, now: datetime.datetime | None = None, ids: list[int] | None = None
) -> tuple[Delivery, str] | None:
    """Claim the next due delivery (among `ids`, if given) and this claim's token. Of two
    senders that read the same candidate, the conditional UPDATE changes it for one only."""
    now = now or timezone.now()
    pending = Delivery.objects.filter(
        _free(now), sent_at__isnull=True, gave_up_at__isnull=True, due_at__lte=now
    )
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    for candidate in pending.order_by("due_at", "id").values_list("pk", flat=True)[:50]:
        token = f"{worker}:{uuid.uuid4().hex[:8]}"
        changed = (
            Delivery.objects.filter(_free(now), pk=candidate, sent_at__isnull=True)
            .filter(gave_up_at__isnull=True)
            .update(
                lease_until=now + datetime.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
                claimed_by=token,
            )
        )
        if changed == 1:
            return Delivery.objects.select_related("endpoint").get(pk=candidate), token
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A receiver answers; it does not send us elsewhere (a redirect is a failure)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery: Delivery) -> int:
    """POST the delivery signed; the receiver's status code (an error raises)."""
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(timezone.now().timestamp())
    request = urllib.request.Request(  # noqa: S310 (https, or loopback http: services.url_problem)
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Mentorpact-Webhooks/1",
            "Mentorpact-Event": delivery.event,
            "Mentorpact-Delivery": str(delivery.public_id),
            "Mentorpact-Signature": signing.signature(delivery.endpoint.secret, timestamp, body),
        },
    )
    with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
        return response.status


def send(delivery: Delivery, *, token: str) -> str:
    """Send a claimed delivery: "sent", "failed" (due again after a backoff) or "gave_up"."""
    status = None
    try:
        if delivery.endpoint.removed_at is not None:
            raise RuntimeError("The endpoint was removed.")
        status = post(delivery)
        if not 200 <= status < 300:
            raise RuntimeError(f"The receiver answered {status}.")
    except urllib.error.HTTPError as error:
        return _failed(delivery, token=token, error=error, status=error.code)
    except Exception as error:
        return _failed(delivery, token=token, error=error, status=status)
    # Marked only after the receiver's 2xx: a kill right here sends it again, same id.
    Delivery.objects.filter(pk=delivery.pk, claimed_by=token, sent_at__isnull=True).update(
        sent_at=timezone.now(), lease_until=None, last_status=status, attempts=F("attempts") + 1
    )
    return "sent"


def _failed(delivery: Delivery, *, token: str, error: Exception, status: int | None) -> str:
    now = timezone.now()
    attempt = delivery.attempts + 1
    logger.warning("Webhook delivery %s failed, attempt %s: %s", delivery.pk, attempt, error)
    given_up = attempt >= max_attempts()
    changed = Delivery.objects.filter(
        pk=delivery.pk, claimed_by=token, sent_at__isnull=True
    ).update(
        attempts=F("attempts") + 1,
        failed_at=now,
        last_status=status,
        last_error=f"{type(error).__name__}: {error}"[:500],
        due_at=now + backoff(attempt),
        lease_until=None,
        gave_up_at=now if given_up else None,
    )
    if changed and given_up:
        record(
            "webhook.gave_up",
            on=delivery,
            program_id=delivery.endpoint.program_id,
            now=now,
            event=delivery.event,
            attempts=attempt,
        )
    return "gave_up" if given_up else "failed"


def send_due(
    *, worker: str | None = None, ids: list[int] | None = None, limit: int = 500
) -> dict[str, int]:
    """Claim and send due deliveries one at a time until none is left (or `limit`)."""
    worker = worker or this_worker()
    counts = {"sent": 0, "failed": 0, "gave_up": 0}
    for _ in range(limit):
        claimed = claim(worker=worker, ids=ids)
        if claimed is None:
            break
        counts[send(claimed[0], token=claimed[1])] += 1
    return counts
