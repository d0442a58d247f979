"""Writes: a site administrator's providers, and a sign-in through one (linking the
account at the first)."""

import os
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.sso import oidc, signals
from mentorpact.sso.models import Domain, Identity, Provider, SsoAction
from mentorpact.sso.selectors import domain_of

DOMAIN = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")
VARIABLE = re.compile(r"^[A-Z_][A-Z0-9_]*$")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
FIELDS = ("name", "issuer", "client_id", "secret_variable", "enabled")


class StaleEdit(Exception):
    """The provider was saved by someone else since this edit's page was opened."""


def _check(
    values: dict[str, Any],
    domains: Sequence[str],
    sso_only: Sequence[str],
    provider: Provider | None,
) -> None:
    """Every problem at once, by field; the discovery check only for a usable address."""
    errors: dict[str, list[str]] = {}
    issuer = values["issuer"]
    parts = urlsplit(issuer)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in LOOPBACK):
        errors.setdefault("issuer", []).append(
            "Use the provider's https:// address (plain http only for a provider on this "
            "machine, for testing)."
        )
    elif parts.query or parts.fragment:
        errors.setdefault("issuer", []).append(
            "The issuer has no ?query or #fragment: copy it from the provider's settings."
        )
    variable = values["secret_variable"]
    if not VARIABLE.match(variable):
        errors.setdefault("secret_variable", []).append(
            "Capital letters, digits and underscores, not starting with a digit "
            "(for example SSO_UNIVERSITY_SECRET)."
        )
    elif values["enabled"] and not os.environ.get(variable):
        errors.setdefault("secret_variable", []).append(
            f"{variable} is not set in this server's environment. Set it to the client "
            "secret your provider gave you, restart Mentorpact, then save again."
        )
    bad = [d for d in domains if not DOMAIN.match(d)]
    if bad:
        errors.setdefault("domains", []).append(
            f"Not an email domain: {', '.join(bad)}. Write the part after the @, such as "
            "uni.example."
        )
    if not domains:
        errors.setdefault("domains", []).append(
            "Name at least one email domain whose people sign in with this provider."
        )
    taken = Domain.objects.filter(domain__in=domains).select_related("provider")
    if provider is not None:
        taken = taken.exclude(provider=provider)
    for rule in taken:
        errors.setdefault("domains", []).append(
            f"{rule.domain} already signs in with {rule.provider.name}."
        )
    stray = [d for d in sso_only if d not in domains]
    if stray:
        errors.setdefault("sso_only", []).append(
            f"Not among this provider's email domains above: {', '.join(stray)}."
        )
    # The provider is asked when it would be used differently: a new one, a new issuer, or
    # switched on again. Switching off a provider that no longer answers must still work.
    asks = (
        provider is None
        or provider.issuer != issuer
        or (values["enabled"] and not provider.enabled)
    )
    if asks and "issuer" not in errors:
        try:
            oidc.discover(issuer)
        except oidc.SignInFailed as failure:
            errors.setdefault("issuer", []).append(failure.message)
    if errors:
        raise ValidationError(errors)


def _set_domains(provider: Provider, domains: Sequence[str], sso_only: Sequence[str]) -> None:
    provider.domains.exclude(domain__in=domains).delete()
    for domain in domains:
        Domain.objects.update_or_create(
            provider=provider, domain=domain, defaults={"sso_only": domain in sso_only}
        )


@transaction.atomic
def create_provider(
    *,
    actor: User,
    domains: Sequence[str],
    sso_only: Sequence[str] = (),
    now: datetime | None = None,
    **values: Any,
) -> Provider:
    """A new provider, its email domains and which of them sign in only with it. Checks
    that the secret's variable is set and that the provider's discovery document names
    exactly this issuer. Raises ValidationError by field."""
    _check(values, domains, sso_only, None)
    provider = Provider(**{key: values[key] for key in FIELDS})
    if now is not None:
        provider.created_at = provider.updated_at = now
    provider.full_clean()
    provider.save()
    _set_domains(provider, domains, sso_only)
    audit.record(
        SsoAction.PROVIDER_CREATED, on=provider, actor=actor, now=now, domains=list(domains)
    )
    return provider


@transaction.atomic
def update_provider(
    *,
    provider: Provider,
    version: int,
    actor: User,
    domains: Sequence[str],
    sso_only: Sequence[str] = (),
    now: datetime | None = None,
    **values: Any,
) -> list[str]:
    """Save what changed, from a page opened at `version`; the names of the fields changed.
    Raises StaleEdit when someone saved since, ValidationError by field."""
    _check(values, domains, sso_only, provider)
    changed = [key for key in FIELDS if getattr(provider, key) != values[key]]
    old_domains = {d.domain: d.sso_only for d in provider.domains.all()}
    new_domains = {d: d in sso_only for d in domains}
    if old_domains != new_domains:
        changed.append("domains")
    # Conditional on the version the page showed: a second editor's save is refused, never
    # written over the first (SQLite ignores select_for_update).
    if not Provider.objects.filter(pk=provider.pk, version=version).update(
        version=F("version") + 1,
        updated_at=now or timezone.now(),
        **{key: values[key] for key in FIELDS},
    ):
        raise StaleEdit
    provider.refresh_from_db()
    provider.full_clean()
    _set_domains(provider, domains, sso_only)
    if changed:
        audit.record(SsoAction.PROVIDER_CHANGED, on=provider, actor=actor, now=now, fields=changed)
    return changed


def _refuse(reason: str, message: str) -> oidc.SignInFailed:
    return oidc.SignInFailed(reason, message)


@transaction.atomic
def sign_in(*, provider: Provider, claims: dict[str, Any], now: datetime | None = None) -> User:
    """The person the provider's checked claims name: by their link to it, or at their first
    sign-in through it by their email address, which must be at one of its domains and have
    an account here (invited, or already signed up) that is then linked (`signals.linked`:
    office accepts the person's pending invitations). Records accounts.signed_in. Raises
    SignInFailed (recorded by the caller, outside this transaction)."""
    now = now or timezone.now()
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip().lower()
    if not subject:
        raise _refuse("claims", "The provider did not say who you are.")
    identity = (
        Identity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    )
    if identity is not None:
        user = identity.user
    else:
        if not email or claims.get("email_verified") is False:
            raise _refuse("no_email", "The provider did not vouch for your email address.")
        if domain_of(email) not in set(provider.domains.values_list("domain", flat=True)):
            raise _refuse(
                "domain",
                f"{email} is not an address that signs in with {provider.name}.",
            )
        found = User.objects.filter(email__iexact=email, deleted_at__isnull=True).first()
        if found is None:
            raise _refuse(
                "no_account",
                f"There is no Mentorpact account for {email}. Your program's coordinator "
                "invites you first: then sign in here again.",
            )
        user = found
        try:
            with transaction.atomic():
                identity = Identity.objects.create(provider=provider, subject=subject, user=user)
        except IntegrityError as error:
            # The same first sign-in twice at once (two tabs): the other one linked it.
            raced = Identity.objects.filter(provider=provider, subject=subject, user=user).first()
            if raced is None:
                # Another subject of this provider is linked to the account already.
                raise _refuse(
                    "linked_elsewhere",
                    f"Your account is linked to another {provider.name} sign-in. Ask your "
                    "program's coordinator for help.",
                ) from error
            identity = raced
        else:
            audit.record(
                SsoAction.ACCOUNT_LINKED, on=user, actor=user, now=now, provider=provider.pk
            )
            # Still inside this transaction: an invitation it accepts (office) is accepted
            # exactly when the link is made.
            signals.linked.send(sender=Identity, user=user, provider=provider, now=now)
    if not user.is_active or user.deleted_at is not None:
        raise _refuse("inactive", "This account is switched off. Contact your program coordinator.")
    Identity.objects.filter(pk=identity.pk).update(last_used_at=now)
    audit.record(
        "accounts.signed_in", on=user, actor=user, now=now, via="sso", provider=provider.pk
    )
    return user


@transaction.atomic
def record_failed_sign_in(
    *, provider: Provider, failure: oidc.SignInFailed, email: str = ""
) -> None:
    """A refused sign-in through a provider, in the trail like a refused password: the
    address (when the provider said it) and why, never a token."""
    known = User.objects.filter(email=email.strip().lower()).first() if email else None
    audit.record(
        "accounts.sign_in_failed",
        on=known,
        email=email.strip().lower()[:254],
        via="sso",
        provider=provider.pk,
        reason=failure.reason,
    )
