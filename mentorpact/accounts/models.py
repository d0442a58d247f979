import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Roles (coordinator, mentor, mentee) belong to program enrolments, not here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    # Set by a coordinator's people import or by the person on their profile.
    department = models.CharField(max_length=150, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    # What partners call this person (shown to them where names are shown); blank: the full name.
    preferred_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="What your partners see, if not your full name.",
    )
    # False until the person (or their browser, at their first sign-in) chose a zone: until then
    # the sign-in and profile pages offer the browser's own zone.
    time_zone_chosen = models.BooleanField(default=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when the person deleted their account (privacy.services.delete_account): the row
    # stays, anonymised, for the records that point at it.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        """The name partners see: the preferred name, or else the full name."""
        return self.preferred_name or self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Throttle(models.Model):
    """Failures counted per key within a scope: a sign-in per (address, client address) and
    per client address, a password-reset request, a PDF verification. Unknown addresses count
    the same as known ones, so a pause reveals nothing.

    Counting happens with conditional UPDATEs, so two concurrent failures both count on
    SQLite and PostgreSQL alike. `strikes` counts the pauses served since the last quiet
    period: each next pause lasts twice as long (backoff).
    """

    scope = models.CharField(max_length=20)
    key = models.CharField(max_length=320)
    failures = models.PositiveIntegerField(default=0)
    strikes = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="throttle_scope_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.failures} failures"


class AccessToken(models.Model):
    """A personal access token for the REST API (/api/v1/): made and revoked by its owner on
    the profile page, shown once. Only its SHA-256 is stored: the token is 256 random bits, so
    a fast hash is enough (nothing to guess) and a lookup is one indexed equality. The API
    sees exactly what its owner sees on the pages; `scope` "read" refuses every write.

    Rate limit: a fixed window per token, counted on this row by one conditional UPDATE per
    request (`services.use_token`), so every web process shares it on both databases."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    # The first characters of the token, shown in the list so its owner can tell them apart.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the whole token
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    window_started_at = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.WRITE
