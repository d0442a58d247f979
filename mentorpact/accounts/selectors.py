"""Reads for people: how long a throttled key must wait."""

import math

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mentorpact.accounts.limits import Limit, account_key, sign_in_account, sign_in_client
from mentorpact.accounts.models import AccessToken, Throttle


def minutes_left(*, limit: Limit, key: str) -> int:
    """Minutes left in this key's pause, or 0 when it may try."""
    throttle = Throttle.objects.filter(scope=limit.scope, key=key).only("locked_until").first()
    if throttle is None or throttle.locked_until is None:
        return 0
    left = (throttle.locked_until - timezone.now()).total_seconds()
    return max(0, math.ceil(left / 60))


def sign_in_paused_for(*, email: str, client: str | None) -> int:
    """Minutes this client must wait before trying this address again (0: it may try)."""
    return max(
        minutes_left(limit=sign_in_account(), key=account_key(email, client)),
        minutes_left(limit=sign_in_client(), key=client or "unknown"),
    )


def live_tokens(user) -> QuerySet[AccessToken]:
    """The person's personal access tokens that still work, newest first (the profile page)."""
    return user.access_tokens.filter(revoked_at__isnull=True).only(
        "public_id", "name", "scope", "prefix", "created_at", "last_used_at", "user_id"
    )


def get_token_for_owner(user, public_id) -> AccessToken:
    """One of the person's own live tokens; anyone else's, or a revoked one, 404."""
    token = live_tokens(user).filter(public_id=public_id).first()
    if token is None:
        raise Http404
    return token
