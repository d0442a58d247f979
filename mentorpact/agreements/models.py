"""The partnership agreement as a signed record.

An `Agreement` belongs to a partnership and is a series of `AgreementVersion`s. At most one
version is a draft (being written) and at most one is in effect (signed by every signer) at a
time; a version in effect is never changed again, only superseded by a signed amendment.
Every save of a draft is kept as an `AgreementRevision` (so a refused stale save can show what
the partner changed), every signature as a `Signature`, and everything that happens as an
audit event (`AgreementAction`, in audit.Event).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.agreement_templates.models import TemplateVersion
from mentorpact.lib.crypto import EncryptedJSON
from mentorpact.lib.fields import StampField
from mentorpact.partnerships.models import Partnership


class Agreement(models.Model):
    class Status(models.TextChoices):
        DRAFTING = "drafting", "Being drafted"
        IN_EFFECT = "in_effect", "In effect"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="agreements"
    )
    # A partnership that continues with new goals gets a second agreement; the first is 1.
    number = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFTING)
    # From the program's rules when drafting began; signing after it is marked late.
    due_on = models.DateField(null=True, blank=True)
    created_at = StampField(auto_now_add=True)
    in_effect_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            # Two partners opening a new partnership at once still get one agreement.
            models.UniqueConstraint(
                fields=["partnership", "number"], name="agreement_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["drafting", "in_effect"]), name="agreement_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Agreement {self.number} of {self.partnership}"


class AgreementVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_EFFECT = "in_effect", "In effect"
        SUPERSEDED = "superseded", "Superseded by an amendment"
        # A draft edited after someone signed it: the edit became a new version and the
        # signatures on this one were voided.
        REPLACED = "replaced", "Replaced by a later draft"

    SIGNED_STATUSES = (Status.IN_EFFECT, Status.SUPERSEDED)

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    template_version = models.ForeignKey(
        TemplateVersion, on_delete=models.PROTECT, related_name="agreement_versions"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The partners' answers, keyed by the template's field keys: a JSON object stored
    # encrypted (lib.crypto.EncryptedJSON), so it cannot be filtered on in SQL.
    content_token = models.TextField(blank=True)
    content = EncryptedJSON("content_token", stamp="key_rotated_at")
    # When `manage.py rotate_notes_key` last re-encrypted content_token. The triggers keep a
    # signed version's token as it is unless this moves forward in the same UPDATE: they
    # cannot read the plaintext, so the hash below (over the plaintext, frozen by the triggers)
    # is what proves that a rotation changed the ciphertext only: recomputed from the
    # decrypted content (`content.content_sha256`), it must still match.
    key_rotated_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the canonical JSON of (template, content): what a signature is bound to.
    content_sha256 = models.CharField(max_length=64)
    # Bumped by every save; a save names the revision it was based on and is refused when
    # another save came first. Revisions grow across all versions of one agreement.
    revision = models.PositiveIntegerField(default=1)
    # Bumped by every signature in the same conditional UPDATE that checks the version is still
    # the one the signer saw: it serialises signing against saving and against the partner's
    # signature, on PostgreSQL (row lock) and SQLite (one writer) alike.
    signature_count = models.PositiveSmallIntegerField(default=0)
    # The version this one was drafted from: the version in effect for an amendment, or the
    # signed draft an edit replaced. History diffs against it.
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_amendment = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The sealed PDF (written once by a task after activation) and its digest.
    sealed_pdf = models.FileField(upload_to="agreements/", blank=True)
    sealed_pdf_sha256 = models.CharField(max_length=64, blank=True)
    # Claimed by the delivery task with a conditional UPDATE, so the emails go out once.
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status="draft"),
                name="version_one_draft_per_agreement",
            ),
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status="in_effect"),
                name="version_one_in_effect_per_agreement",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_effect", "superseded", "replaced"]),
                name="version_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["in_effect", "superseded"], effective_at__isnull=False)
                | Q(status__in=["draft", "replaced"], effective_at__isnull=True),
                name="version_signed_has_effective_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_signed(self) -> bool:
        return self.status in self.SIGNED_STATUSES


class AgreementRevision(models.Model):
    """The content after one save: what a stale save is compared against."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="revisions"
    )
    revision = models.PositiveIntegerField()
    # Encrypted as AgreementVersion.content is (the same stamp on rotation).
    content_token = models.TextField(blank=True)
    content = EncryptedJSON("content_token", stamp="key_rotated_at")
    key_rotated_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "revision"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} r{self.revision}"


class ESignConsent(models.Model):
    """A person's consent to do business electronically: given once, withdrawable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="esign_consents"
    )
    statement = models.TextField()
    given_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(withdrawn_at__isnull=True),
                name="esign_consent_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        state = "withdrawn" if self.withdrawn_at else "active"
        return f"E-sign consent of {self.user} ({state})"


class InvitedSigner(models.Model):
    """A signer beyond the pair and the program, as the template declares them (a parent or
    guardian, a supervisor: `schema.ExtraSigner`), named for one agreement by the partner the
    template says. They sign through a link emailed to them (no sign-in), which shows the
    draft they sign and nothing else of the partnership; their consent and signature are
    recorded on `user`, the account of their email address (made, without a password, when
    there is none)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="invited")
    role = models.CharField(max_length=20)  # the template's key for them: "guardian"
    name = models.CharField(max_length=150)
    email = models.EmailField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    named_at = StampField(auto_now_add=True)
    # Bumped when a partner names someone else: the links emailed before stop working.
    link_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["agreement", "role"]
        constraints = [
            # One person per role per agreement: a second naming replaces the first.
            models.UniqueConstraint(fields=["agreement", "role"], name="invited_one_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}) for {self.agreement}"


class Signature(models.Model):
    class Role(models.TextChoices):
        """The built-in roles; a template's extra signers sign under their own key."""

        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"
        COORDINATOR = "coordinator", "Coordinator"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    # mentor, mentee, coordinator, or the key of one of the template's extra signers.
    role = models.CharField(max_length=20)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreement_signatures"
    )
    consent = models.ForeignKey(ESignConsent, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(max_length=150)
    intent_statement = models.TextField()
    signed_at = models.DateTimeField()
    # The signer's time zone when signing, so the record reads as they saw it.
    time_zone = models.CharField(max_length=64, default="UTC")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    content_sha256 = models.CharField(max_length=64)
    revision = models.PositiveIntegerField()
    is_late = models.BooleanField(default=False)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            # One signature per role per version: a double submit or a race cannot add two.
            models.UniqueConstraint(fields=["version", "role"], name="signature_one_per_role"),
            models.CheckConstraint(condition=~Q(role=""), name="signature_role_named"),
        ]

    def __str__(self) -> str:
        return f"{self.typed_name} ({self.role}) on {self.version}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class AgreementAction(models.TextChoices):
    """What the audit trail (audit.Event.action) records about an agreement, shown to both
    partners on its history page. The event's details carry the agreement's number and the
    version's id and number; never what the partners wrote (field keys and numbers only):
    the record of who did what must be shareable without sharing the agreement itself."""

    DRAFTED = "agreement.drafted", "Agreement drafted"
    EDITED = "agreement.edited", "Draft edited"
    SIGNED = "agreement.signed", "Signed"
    SIGNATURE_VOIDED = "agreement.signature_voided", "Signature voided by a later edit"
    IN_EFFECT = "agreement.in_effect", "Agreement in effect"
    AMENDMENT_PROPOSED = "agreement.amendment_proposed", "Amendment proposed"
    CONSENT_GIVEN = "agreement.consent_given", "Consent to sign electronically given"
    CONSENT_WITHDRAWN = "agreement.consent_withdrawn", "Consent to sign electronically withdrawn"
    SIGNER_NAMED = "agreement.signer_named", "Signer named and invited"
    PDF_DOWNLOADED = "agreement.pdf_downloaded", "PDF downloaded"
    PDF_SEALED = "agreement.pdf_sealed", "Signed PDF sealed"
    EMAILED = "agreement.emailed", "Signed PDF emailed"
