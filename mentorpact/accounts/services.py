"""Writes for people: throttling of sign-in and of the other doors anyone may knock on.

Sign-in failures count per (account, client address) and per client address, never per
account alone: an attacker who types someone's address wrongly five times pauses only their
own client's attempts for that account, and the person signs in from their own client as
usual. A client that fails across many accounts (a password sprayer) is paused as a whole.
Each further pause of the same key lasts twice as long, up to THROTTLE_MAX_MINUTES.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mentorpact.accounts.models import Throttle

# A key with no failure for this long starts again from nothing (failures and strikes).
QUIET = timedelta(hours=24)


@dataclass(frozen=True)
class Limit:
    scope: str
    failures: int  # failures that start a pause
    minutes: int  # the first pause; each next one lasts twice as long


def sign_in_account() -> Limit:
    return Limit("sign-in", settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_COOLOFF_MINUTES)


def sign_in_client() -> Limit:
    return Limit("client", settings.CLIENT_FAILURE_LIMIT, settings.CLIENT_COOLOFF_MINUTES)


def _email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def account_key(email: str, client: str | None) -> str:
    return f"{_email(email)}|{client or 'unknown'}"


def minutes_left(*, limit: Limit, key: str) -> int:
    """Minutes left in this key's pause, or 0 when it may try."""
    throttle = Throttle.objects.filter(scope=limit.scope, key=key).only("locked_until").first()
    if throttle is None or throttle.locked_until is None:
        return 0
    left = (throttle.locked_until - timezone.now()).total_seconds()
    return max(0, math.ceil(left / 60))


@transaction.atomic
def record_failure(*, limit: Limit, key: str) -> None:
    now = timezone.now()
    rows = Throttle.objects.filter(scope=limit.scope, key=key)
    Throttle.objects.get_or_create(scope=limit.scope, key=key)
    # A long quiet period forgets everything; a served pause starts a fresh count but
    # remembers the strike, so the next pause lasts longer.
    rows.filter(last_failure_at__lte=now - QUIET).update(failures=0, strikes=0, locked_until=None)
    rows.filter(locked_until__lte=now).update(failures=0, locked_until=None)
    rows.update(failures=F("failures") + 1, last_failure_at=now)
    # Pause exactly when the limit is reached, in the same conditional-UPDATE style: of two
    # concurrent failures that both read the same strikes, one starts the pause.
    row = rows.values("failures", "strikes", "locked_until").get()
    if row["failures"] >= limit.failures and row["locked_until"] is None:
        minutes = min(limit.minutes * 2 ** min(row["strikes"], 20), settings.THROTTLE_MAX_MINUTES)
        rows.filter(strikes=row["strikes"], locked_until__isnull=True).update(
            locked_until=now + timedelta(minutes=minutes), strikes=F("strikes") + 1
        )


def clear(*, limit: Limit, key: str) -> None:
    Throttle.objects.filter(scope=limit.scope, key=key).delete()


def sign_in_paused_for(*, email: str, client: str | None) -> int:
    """Minutes this client must wait before trying this address again (0: it may try)."""
    return max(
        minutes_left(limit=sign_in_account(), key=account_key(email, client)),
        minutes_left(limit=sign_in_client(), key=client or "unknown"),
    )


def record_login_failure(*, email: str, client: str | None) -> None:
    record_failure(limit=sign_in_account(), key=account_key(email, client))
    record_failure(limit=sign_in_client(), key=client or "unknown")


def clear_login_failures(*, email: str, client: str | None = None) -> None:
    """Forget an address's failed sign-ins: from this client after a successful sign-in; from
    every client after a new password set through the emailed link (which proves the person
    holds the address). The client's own count is kept: signing in to one's own account must
    not reset a sprayer's count."""
    rows = Throttle.objects.filter(scope=sign_in_account().scope)
    if client is None:
        rows.filter(Q(key__startswith=f"{_email(email)}|")).delete()
    else:
        rows.filter(key=account_key(email, client)).delete()
