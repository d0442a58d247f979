"""The exceptions to confidentiality a template declares (rules.confidentiality_exceptions),
kept as records.

- An agreed disclosure: who the mentor may speak to, the boundaries of the discussion and
  the issue, proposed by one partner and agreed by the other; each use logged by the mentor
  with a note only the pair sees; revocable by either partner.
- A serious-danger disclosure: the mentor records that they are disclosing, to whom and why.
  Its text is read by the mentor and the program's designated safeguarding contact only
  (never the mentee, never the other coordinators); the contact is emailed at once.

Every text is encrypted at rest; event rows carry ids, dates and flags only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.lib.crypto import EncryptedTextField
from mentorpact.lib.fields import StampField
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Program

MAX_TEXT_CHARS = 2000


class SafeguardingContact(models.Model):
    """A program's designated safeguarding contact: one of its coordinators, chosen by a
    coordinator; alerted by email when a mentor discloses in serious danger."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="safeguarding_contact"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = StampField(auto_now=True)

    def __str__(self) -> str:
        return f"Safeguarding contact of {self.program}"


class AgreedDisclosure(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="agreed_disclosures"
    )
    person = EncryptedTextField("who the mentor may speak to", max_length=500)
    boundaries = EncryptedTextField("the boundaries of the discussion", max_length=MAX_TEXT_CHARS)
    issue = EncryptedTextField("for which issue", max_length=MAX_TEXT_CHARS)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = StampField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True) | Q(agreed_by__isnull=False),
                name="agreed_disclosure_agreed_by",
            ),
        ]

    def __str__(self) -> str:
        return f"Agreed disclosure ({self.state})"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "agreed" if self.agreed_at else "proposed"

    @property
    def in_force(self) -> bool:
        return self.state == "agreed"


class DisclosureUse(models.Model):
    """The mentor spoke to the agreed person: when, to whom, and a note only the pair sees."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    disclosure = models.ForeignKey(AgreedDisclosure, on_delete=models.PROTECT, related_name="uses")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    used_on = models.DateField()
    to_whom = EncryptedTextField(max_length=500)
    note = EncryptedTextField(max_length=MAX_TEXT_CHARS, blank=True)
    created_at = StampField(auto_now_add=True)

    class Meta:
        ordering = ["-used_on", "-id"]

    def __str__(self) -> str:
        return f"Use of {self.disclosure}"


class DangerDisclosure(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="danger_disclosures"
    )
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_to = EncryptedTextField(max_length=500)
    reason = EncryptedTextField(max_length=MAX_TEXT_CHARS)
    # The designated contact when it was recorded: they read it (a later change of contact
    # does not hand them the record).
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    # Whether and when the mentee is told (None: not yet, or not to be).
    mentee_told_at = models.DateTimeField(null=True, blank=True)
    mentee_told_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return "Serious-danger disclosure"


class ConfidentialityAction(models.TextChoices):
    PROPOSED = "confidentiality.agreed_disclosure_proposed", "Agreed disclosure proposed"
    AGREED = "confidentiality.agreed_disclosure_agreed", "Agreed disclosure agreed"
    REVOKED = "confidentiality.agreed_disclosure_revoked", "Agreed disclosure revoked"
    USED = "confidentiality.agreed_disclosure_used", "Agreed disclosure used"
    DANGER = "confidentiality.danger_disclosed", "Disclosed in serious danger"
    MENTEE_TOLD = "confidentiality.mentee_told", "Mentee told of a disclosure"
    CONTACT_SET = "confidentiality.contact_set", "Safeguarding contact chosen"
