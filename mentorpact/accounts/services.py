"""Writes for people: sign-in throttling."""

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mentorpact.accounts.models import LoginThrottle


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def login_locked_for(*, email: str) -> int:
    """Minutes left in this address's cool-off, or 0 when it may try to sign in."""
    throttle = LoginThrottle.objects.filter(email=_key(email)).only("locked_until").first()
    if throttle is None or throttle.locked_until is None:
        return 0
    left = (throttle.locked_until - timezone.now()).total_seconds()
    return max(0, math.ceil(left / 60))


@transaction.atomic
def record_login_failure(*, email: str) -> None:
    now = timezone.now()
    key = _key(email)
    LoginThrottle.objects.get_or_create(email=key)
    # An expired lock starts a fresh count.
    LoginThrottle.objects.filter(email=key, locked_until__lte=now).update(
        failures=0, locked_until=None
    )
    LoginThrottle.objects.filter(email=key).update(failures=F("failures") + 1, last_failure_at=now)
    # Lock exactly when the limit is reached, in the same conditional-UPDATE style.
    LoginThrottle.objects.filter(
        email=key, failures__gte=settings.LOGIN_FAILURE_LIMIT, locked_until__isnull=True
    ).update(locked_until=now + timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES))


def clear_login_failures(*, email: str) -> None:
    """Forget an address's failed sign-ins: after a successful sign-in, or after a new password
    set through the emailed link (which proves the person holds the address)."""
    LoginThrottle.objects.filter(email=_key(email)).delete()
