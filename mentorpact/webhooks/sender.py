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
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from mentorpact.audit.services import record
from mentorpact.lib import leases
from mentorpact.webhooks import addresses, signing
from mentorpact.webhooks.models import Delivery

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


def max_attempts() -> int:
    return len(settings.WEBHOOK_BACKOFF_SECONDS) + 1


def backoff(attempt: int) -> datetime.timedelta:
    waits = settings.WEBHOOK_BACKOFF_SECONDS
    return datetime.timedelta(seconds=waits[min(attempt, len(waits)) - 1])


this_worker = leases.this_worker


def claim(
    *, worker: str, now: datetime.datetime | None = None, ids: list[int] | None = None
) -> tuple[Delivery, str] | None:
    """Claim the next due delivery (among `ids`, if given) and this claim's token
    (lib.leases: of two senders that read the same candidate, one only gets it)."""
    return leases.claim(
        Delivery.objects.select_related("endpoint"),
        worker=worker,
        now=now or timezone.now(),
        lease=datetime.timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS),
        ids=ids,
    )


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
    leases.mark_sent(
        delivery, token=token, now=timezone.now(), last_status=status, attempts=F("attempts") + 1
    )
    return "sent"


def _failed(delivery: Delivery, *, token: str, error: Exception, status: int | None) -> str:
    now = timezone.now()
    attempt = delivery.attempts + 1
    logger.warning("Webhook delivery %s failed, attempt %s: %s", delivery.pk, attempt, error)
    changed, given_up = leases.mark_failed(
        delivery,
        token=token,
        now=now,
        error=error,
        max_attempts=max_attempts(),
        backoff=backoff,
        last_status=status,
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
    return leases.send_due(
        lambda: claim(worker=worker, ids=ids),
        lambda delivery, token: send(delivery, token=token),
        limit=limit,
    )
