"""Writes for people: throttling of sign-in and of the other doors anyone may knock on, and
each person's own profile (name, time zone, email change).

Sign-in failures count per (account, client address) and per client address, never per
account alone: an attacker who types someone's address wrongly five times pauses only their
own client's attempts for that account, and the person signs in from their own client as
usual. A client that fails across many accounts (a password sprayer) is paused as a whole.
Each further pause of the same key lasts twice as long, up to THROTTLE_MAX_MINUTES.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import available_timezones

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mentorpact.accounts import selectors, tasks, tokens
from mentorpact.accounts.limits import (
    Limit,
    account_key,
    normal_email,
    reset_address_limit,
    reset_client_limit,
    sign_in_account,
    sign_in_client,
)
from mentorpact.accounts.models import AccessToken, Throttle, User
from mentorpact.accounts.signals import account_changed
from mentorpact.lib import zones

# A key with no failure for this long starts again from nothing (failures and strikes).
QUIET = timedelta(hours=24)


@transaction.atomic
def count_attempt(*, limit: Limit, key: str) -> None:
    """Count one attempt (a failed sign-in, a reset email, a PDF check) against this key;
    reaching the limit starts a pause."""
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
    if row["failures"] >= limit.attempts and row["locked_until"] is None:
        minutes = min(limit.minutes * 2 ** min(row["strikes"], 20), settings.THROTTLE_MAX_MINUTES)
        rows.filter(strikes=row["strikes"], locked_until__isnull=True).update(
            locked_until=now + timedelta(minutes=minutes), strikes=F("strikes") + 1
        )


def clear(*, limit: Limit, key: str) -> None:
    Throttle.objects.filter(scope=limit.scope, key=key).delete()


def take_attempt(*, limits: dict[str, Limit]) -> int:
    """For a door that counts every use, not only failures (the verify page, reset emails):
    0 when every key may go on, and the use is counted against each; otherwise the minutes
    to wait, and nothing is counted. `limits` maps each key to its limit."""
    wait = max(selectors.minutes_left(limit=limit, key=key) for key, limit in limits.items())
    if wait:
        return wait
    for key, limit in limits.items():
        count_attempt(limit=limit, key=key)
    return 0


def record_login_failure(*, email: str, client: str | None) -> None:
    count_attempt(limit=sign_in_account(), key=account_key(email, client))
    count_attempt(limit=sign_in_client(), key=client or "unknown")


def request_password_reset(*, email: str, client: str | None) -> None:
    """Email a reset link to every active account with this address, from a task (outside
    the request), at most so often per address and per client address. Past a limit nothing
    is sent and the page says what it always says, so it reveals nothing."""
    if selectors.password_refusal(email):
        return  # its institution's single sign-on only: no password to reset (the form says so)
    limits = {normal_email(email): reset_address_limit(), client or "unknown": reset_client_limit()}
    if take_attempt(limits=limits):
        return
    # Every active account with this address, including one that never had a password (made
    # by an invitation): Django's form skips unusable passwords, which would leave someone
    # who lost their invitation no way in. The link proves they hold the address, which is
    # all an invitation proves too.
    for user_id in User.objects.filter(email__iexact=email.strip(), is_active=True).values_list(
        "pk", flat=True
    ):
        # This writes nothing else, so the task is enqueued at once (django-tasks-db stores it
        # as a row: inside a caller's transaction it commits, or not, with the rest).
        tasks.send_password_reset.enqueue(user_id)


def clear_login_failures(*, email: str, client: str | None = None) -> None:
    """Forget an address's failed sign-ins: from this client after a successful sign-in; from
    every client after a new password set through the emailed link (which proves the person
    holds the address). The client's own count is kept: signing in to one's own account must
    not reset a sprayer's count."""
    rows = Throttle.objects.filter(scope=sign_in_account().scope)
    if client is None:
        rows.filter(Q(key__startswith=f"{normal_email(email)}|")).delete()
    else:
        rows.filter(key=account_key(email, client)).delete()


# --- Profiles ---------------------------------------------------------------------------------


class ProfileError(ValidationError):
    """Nothing was written; the message (by field) says why."""


def _check_zone(time_zone: str) -> None:
    if time_zone not in zones.zone_names() and time_zone not in available_timezones():
        raise ProfileError({"time_zone": "Choose a time zone from the list."})


@transaction.atomic
def update_profile(
    *, user: User, full_name: str, preferred_name: str, department: str, time_zone: str
) -> User:
    """A person's own name, preferred name (what partners see), department and time zone."""
    _check_zone(time_zone)
    values = {
        "full_name": full_name.strip(),
        "preferred_name": preferred_name.strip(),
        "department": department.strip(),
        "time_zone": time_zone,
    }
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    for name, value in values.items():
        setattr(user, name, value)
    user.time_zone_chosen = True
    user.full_clean(exclude=["password", "email"])
    user.save(
        update_fields=["full_name", "preferred_name", "department", "time_zone", "time_zone_chosen"]
    )
    if changed:
        _changed(user, "accounts.profile_changed", fields=changed)
    return user


def _changed(user: User, action: str, **details) -> None:
    """Tell the audit trail (accounts.signals): the names of what changed, never values."""
    account_changed.send(sender=User, user=user, action=action, details=details)


@transaction.atomic
def record_password_set(*, user: User, how: str) -> None:
    """After Django's password forms saved a new password ("changed" on the profile, "reset"
    by the emailed link): any sign-in pause on the account ends, from every client, and the
    audit trail records it."""
    clear_login_failures(email=user.email)
    _changed(user, f"accounts.password_{how}")


def adopt_browser_time_zone(*, user: User, time_zone: str) -> bool:
    """At a sign-in, the browser's zone for a person who has not chosen one yet (once: a
    conditional UPDATE, so a person's own choice is never overwritten). True if adopted."""
    if not time_zone or time_zone not in available_timezones():
        return False
    changed = User.objects.filter(pk=user.pk, time_zone_chosen=False).update(
        time_zone=time_zone, time_zone_chosen=True
    )
    if changed:
        user.time_zone, user.time_zone_chosen = time_zone, True
    return bool(changed)


def _email_taken(email: str, user: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def request_email_change(*, user: User, new_email: str) -> None:
    """Send a confirmation link to `new_email`; the address changes only when it is followed
    (confirm_email_change). Nothing changes here."""
    new_email = User.objects.normalize_email(new_email).strip().lower()
    if new_email == user.email:
        raise ProfileError({"email": "That is already your email address."})
    if _email_taken(new_email, user):
        raise ProfileError({"email": "Another account uses that email address."})
    transaction.on_commit(
        lambda: tasks.send_email_change_link.enqueue(user_id=user.pk, new_email=new_email)
    )


def read_email_change_token(token: str) -> tuple[User, str]:
    """The account and its new address, or ProfileError saying plainly why not."""
    try:
        data = signing.loads(
            token, salt=tokens.EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired:
        raise ProfileError(
            "This link has expired. Ask for the change again on your profile."
        ) from None
    except signing.BadSignature:
        raise ProfileError(
            "This link is not valid. Ask for the change again on your profile."
        ) from None
    user = User.objects.filter(public_id=data.get("user"), email=data.get("old")).first()
    if user is None:
        raise ProfileError("This link was already used, or the account's address has changed.")
    return user, data["new"]


@transaction.atomic
def confirm_email_change(*, token: str) -> User:
    """Follow the link sent to the new address: the account's email becomes it."""
    user, new_email = read_email_change_token(token)
    if _email_taken(new_email, user):
        raise ProfileError("Another account uses that email address now.")
    old = user.email
    # Conditional on the address the link replaces: two clicks at once change it once.
    changed = User.objects.filter(pk=user.pk, email=old).update(email=new_email)
    if changed != 1:
        raise ProfileError("This link was already used, or the account's address has changed.")
    user.email = new_email
    clear_login_failures(email=old)
    _changed(user, "accounts.email_changed", fields=["email"])
    transaction.on_commit(
        lambda: tasks.send_email_changed_notice.enqueue(old_email=old, user_id=user.pk)
    )
    return user


# --- Personal access tokens for the REST API ---

TOKEN_PREFIX = "mpt_"  # marks a Mentorpact token in a secret scanner's rules and in logs
MAX_TOKENS = 20  # live tokens per person: enough for every integration, a bound on the list


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_access_token(
    *, user: User, name: str, scope: str, now: datetime | None = None
) -> tuple[AccessToken, str]:
    """A new token for `user`: the row and the token itself, which is never stored (only its
    SHA-256) and so is shown to its owner once."""
    now = now or timezone.now()
    if user.access_tokens.filter(revoked_at__isnull=True).count() >= MAX_TOKENS:
        raise ValidationError(
            {"name": f"You have {MAX_TOKENS} tokens already: revoke one you no longer use."}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        user=user,
        name=name.strip(),
        scope=scope,
        prefix=raw[:12],
        digest=token_digest(raw),
        created_at=now,
    )
    token.full_clean()
    token.save()
    _changed(user, "accounts.token_created", token=str(token.public_id), scope=scope)
    return token, raw


@transaction.atomic
def revoke_access_token(*, user: User, token: AccessToken, now: datetime | None = None) -> bool:
    """Stop `token` working at once; False when it was revoked already."""
    if token.user_id != user.pk:
        raise ValidationError("This token is not yours.")
    now = now or timezone.now()
    if not AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        return False
    _changed(user, "accounts.token_revoked", token=str(token.public_id))
    return True


@dataclass(frozen=True)
class TokenUse:
    token: AccessToken | None  # None: no such live token (revoked, unknown, account closed)
    retry_after: int = 0  # seconds until the token may be used again (0: it may now)


@transaction.atomic
def use_access_token(*, raw: str, now: datetime | None = None) -> TokenUse:
    """The live token `raw` names, counted against its rate limit (API_RATE_LIMIT requests
    in API_RATE_WINDOW_SECONDS, a fixed window) and stamped with its last use.

    accounts' Throttle counts failures towards a pause that only a quiet day forgets: a rate
    needs a window instead, so the count lives on the token's own row, moved by conditional
    UPDATEs (two requests at once both count, on SQLite and PostgreSQL alike)."""
    now = now or timezone.now()
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return TokenUse(None)
    window = timedelta(seconds=settings.API_RATE_WINDOW_SECONDS)
    rows = AccessToken.objects.filter(pk=token.pk)
    for _ in range(2):  # a second try when another request started a new window meanwhile
        counted = rows.filter(
            window_started_at__gt=now - window, window_count__lt=settings.API_RATE_LIMIT
        ).update(window_count=F("window_count") + 1, last_used_at=now)
        if counted:
            return TokenUse(token)
        started = rows.filter(
            Q(window_started_at__isnull=True) | Q(window_started_at__lte=now - window)
        ).update(window_started_at=now, window_count=1, last_used_at=now)
        if started:
            return TokenUse(token)
    started_at = rows.values_list("window_started_at", flat=True).get() or now
    return TokenUse(token, retry_after=max(1, int((started_at + window - now).total_seconds())))
