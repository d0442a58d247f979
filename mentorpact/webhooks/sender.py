"""Sending webhook deliveries: claim a row with a lease, POST it signed, then mark it.

The outbox's pattern (outbox/sender.py): autocommit, never inside a transaction, so each
claim and each mark is committed by itself and a worker killed at any point leaves an
unclaimed row, a row whose lease runs out (and is claimed again), or a sent row. A receiver
may so get a delivery twice, under the same `Mentorpact-Delivery` id. Called by the task
`emit` enqueues (at once) and by every pass of `manage.py send_reminders --loop` (what is due
again after a backoff, and what a dead worker left leased).
"""

import datetime
import http.client
import json
import logging
import os
import socket
import ssl
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from mentorpact.audit.services import record
from mentorpact.webhooks import addresses, signing
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


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to one vetted address, whatever the name resolves to by then."""

    def __init__(self, host: str, port: int, *, address: addresses.Address, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._create_connection = _pinned(address)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to one vetted address; TLS still checks the certificate against the name
    (http.client passes `host` as the SNI server name) and Host names it too."""

    def __init__(self, host: str, port: int, *, address: addresses.Address, timeout: float):
        super().__init__(host, port, timeout=timeout, context=tls_context())
        self._create_connection = _pinned(address)


def _pinned(address: addresses.Address):  # noqa: ANN202 (socket.create_connection's shape)
    def create_connection(
        host_and_port: tuple[str, int], timeout: float, source: tuple[str, int] | None = None
    ) -> socket.socket:
        return socket.create_connection((str(address), host_and_port[1]), timeout, source)

    return create_connection


def tls_context() -> ssl.SSLContext:
    """The system's trust store, certificate and name checked (the tests give their own)."""
    return ssl.create_default_context()


def post(delivery: Delivery) -> int:
    """POST the delivery signed to a vetted address (addresses.py); the receiver's status
    code. A name that now resolves to a refused address raises addresses.Refused before
    any connection; a redirect is an answer like any other non-2xx (never followed)."""
    url = delivery.endpoint.url
    problem = addresses.scheme_problem(url)
    if problem:
        raise addresses.Refused(problem)
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    # Resolved once here; the connection goes to these addresses and asks no resolver again.
    vetted = addresses.vetted(host, port)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Mentorpact-Webhooks/1",
        "Mentorpact-Event": delivery.event,
        "Mentorpact-Delivery": str(delivery.public_id),
        "Mentorpact-Signature": signing.signature(delivery.endpoint.secret, timestamp, body),
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
    error: OSError | None = None
    for address in vetted:
        connection = connection_class(host, port, address=address, timeout=TIMEOUT_SECONDS)
        try:
            try:
                connection.connect()
            except OSError as refused:
                error = refused  # the next address, as a resolver's client would
                continue
            connection.request("POST", path, body=body, headers=headers)
            return connection.getresponse().status
        finally:
            connection.close()
    assert error is not None
    raise error


def send(delivery: Delivery, *, token: str) -> str:
    """Send a claimed delivery: "sent", "failed" (due again after a backoff) or "gave_up"."""
    status = None
    try:
        if delivery.endpoint.removed_at is not None:
            raise RuntimeError("The endpoint was removed.")
        status = post(delivery)
        if not 200 <= status < 300:
            raise RuntimeError(f"The receiver answered {status}.")
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
