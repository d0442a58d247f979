"""The limits on the doors anyone may knock on (sign-in, password reset, the verify page),
and the keys they count under. Settings name the numbers."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Limit:
    scope: str
    attempts: int  # counted attempts (failures, or every use) that start a pause
    minutes: int  # the first pause; each next one lasts twice as long


def sign_in_account() -> Limit:
    return Limit("sign-in", settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_COOLOFF_MINUTES)


def sign_in_client() -> Limit:
    return Limit("client", settings.CLIENT_FAILURE_LIMIT, settings.CLIENT_COOLOFF_MINUTES)


def reset_address_limit() -> Limit:
    """Password-reset emails to one address: a few, then an hour's pause."""
    return Limit("reset", settings.RESET_LIMIT, 60)


def reset_client_limit() -> Limit:
    return Limit("reset-client", settings.RESET_CLIENT_LIMIT, 30)


def verify_limit() -> Limit:
    """PDF checks on the public verify page, per client: each costs a signature validation."""
    return Limit("verify", settings.VERIFY_LIMIT, settings.VERIFY_COOLOFF_MINUTES)


def normal_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def account_key(email: str, client: str | None) -> str:
    return f"{normal_email(email)}|{client or 'unknown'}"
