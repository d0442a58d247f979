"""Reads for people: how long a throttled key must wait; what the layers above say about
signing in (accounts.signals)."""

import math
from dataclasses import dataclass
from typing import cast

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mentorpact.accounts.limits import Limit, account_key, sign_in_account, sign_in_client
from mentorpact.accounts.models import AccessToken, Throttle
from mentorpact.accounts.signals import password_refused, sign_in_choices


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


def password_refusal(email: str) -> str | None:
    """Why this address may not use a password here (its institution's single sign-on is
    required), or None when it may. Asked of the apps above (accounts.signals)."""
    for _receiver, message in password_refused.send(sender=None, email=email.strip().lower()):
        if message:
            return str(message)
    return None


@dataclass(frozen=True)
class SignInChoice:
    """Another way to sign in, offered on the sign-in page: "Sign in with <name>"."""

    name: str
    url: str


def other_ways_to_sign_in(*, next_url: str) -> list[SignInChoice]:
    """The other ways to sign in the apps above offer (accounts.signals.sign_in_choices)."""
    offered: list[SignInChoice] = []
    for _receiver, choices in sign_in_choices.send(sender=None, next=next_url):
        offered.extend(cast("list[SignInChoice]", choices or []))
    return offered


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
