"""Reads: the providers, which one an address signs in with, and the site administrator's
access to their settings."""

from urllib.parse import urlencode
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from mentorpact.accounts.models import User
from mentorpact.accounts.selectors import SignInChoice
from mentorpact.sso.models import Domain, Provider


def domain_of(email: str) -> str:
    return email.strip().lower().rpartition("@")[2]


def domain_for_email(email: str) -> Domain | None:
    """The domain rule that applies to this address (its provider enabled), or None."""
    domain = domain_of(email)
    if not domain:
        return None
    return (
        Domain.objects.select_related("provider")
        .filter(domain=domain, provider__enabled=True)
        .first()
    )


def password_refusal(email: str) -> str | None:
    rule = domain_for_email(email)
    if rule is None or not rule.sso_only:
        return None
    name = rule.provider.name
    return (
        f"Addresses at {rule.domain} sign in with {name}, not with a password here: "
        f"use “Sign in with {name}”."
    )


def start_url(provider: Provider, next_url: str = "") -> str:
    url = reverse("sso:start", kwargs={"provider_id": provider.public_id})
    # Slashes kept: a `next` naming an invitation link stays /invitations/<token>/ in the
    # access log, where lib.logs redacts its token.
    return f"{url}?{urlencode({'next': next_url}, safe='/')}" if next_url else url


def sign_in_choices(*, next_url: str) -> list[SignInChoice]:
    return [
        SignInChoice(name=provider.name, url=start_url(provider, next_url))
        for provider in Provider.objects.filter(enabled=True)
    ]


def get_enabled_provider(provider_id: UUID) -> Provider:
    """A provider to sign in with: anyone may start a sign-in; a switched-off one is 404."""
    provider = Provider.objects.filter(public_id=provider_id, enabled=True).first()
    if provider is None:
        raise Http404
    return provider


def require_site_admin(user: User) -> None:
    """Site administrators are superusers (as office.selectors.require_site_admin)."""
    if not user.is_superuser:
        raise PermissionDenied


def providers_for_admin(user: User) -> QuerySet[Provider]:
    require_site_admin(user)
    return Provider.objects.prefetch_related("domains")


def get_provider_for_admin(user: User, provider_id: UUID) -> Provider:
    require_site_admin(user)
    provider = Provider.objects.prefetch_related("domains").filter(public_id=provider_id).first()
    if provider is None:
        raise Http404
    return provider
