"""Single sign-on: the institutions' OpenID Connect providers a site administrator
configures, the email domains each one signs in, and who signed in through which.

The client secret is never stored: `secret_variable` names the environment variable that
holds it, read when a sign-in exchanges its code (sso.oidc), so it is never shown again
nor in a backup.
"""

import uuid

from django.conf import settings
from django.db import models

from mentorpact.lib.fields import StampField


class SsoAction(models.TextChoices):
    """What the audit trail records here (sign-ins themselves are accounts.signed_in and
    accounts.sign_in_failed, with via="sso"). Details hold ids and field names only."""

    PROVIDER_CREATED = "sso.provider_created", "Sign-in provider added"
    PROVIDER_CHANGED = "sso.provider_changed", "Sign-in provider changed"
    ACCOUNT_LINKED = "sso.account_linked", "Account linked to a sign-in provider"


class Provider(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The institution, as the button says it: "Sign in with <name>".
    name = models.CharField(max_length=100)
    # Exactly as the provider's discovery document states it (checked on save and sign-in).
    issuer = models.URLField(max_length=500)
    client_id = models.CharField(max_length=255)
    secret_variable = models.CharField(max_length=100)
    enabled = models.BooleanField(default=True)
    # Counts saves: an edit made from an older page is refused, never silently overwritten.
    version = models.PositiveIntegerField(default=1)
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Domain(models.Model):
    """An email domain that signs in with a provider; `sso_only`: only that way (password
    sign-in and password reset refused)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="domains")
    # Lower case, without "@". Unique: one domain, one institution.
    domain = models.CharField(max_length=253, unique=True)
    sso_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class Identity(models.Model):
    """A person as a provider knows them (its `sub`), linked to their account at their first
    sign-in through it; later sign-ins find them by it, whatever their email became."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities"
    )
    created_at = StampField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="identity_one_subject"),
            # One link per person and provider: a second subject for the same person would
            # be another person's account at the institution.
            models.UniqueConstraint(fields=["provider", "user"], name="identity_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"
