"""Asking the program for help without ending anything: a partner's request (a concern,
outside intervention, reassignment) and the messages between the requester and the program.

What is written (the request's message, every reply) is encrypted at rest and read only by
the requester and the program's coordinators, on the request's own page; never by the other
partner, never in an email (the emails say that there is something to read, and link to it),
never in the audit trail (event rows carry kinds, statuses and outcomes).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.lib.crypto import EncryptedTextField
from mentorpact.lib.fields import StampField
from mentorpact.partnerships.models import Partnership

MAX_MESSAGE_CHARS = 5000


class HelpRequest(models.Model):
    class Kind(models.TextChoices):
        CONCERN = "concern", "A concern"
        INTERVENTION = "intervention", "Outside intervention"
        REASSIGNMENT = "reassignment", "A request for reassignment"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", "Resolved"
        MEDIATED = "mediated", "Mediated"
        ENDED = "partnership_ended", "Partnership ended"
        REASSIGNED = "reassigned", "Reassigned"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="help_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # "mentor" or "mentee": what the requester was to the partnership when asking.
    requester_role = models.CharField(max_length=10)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = EncryptedTextField(max_length=MAX_MESSAGE_CHARS)
    # Whether the program may tell the other partner about this request. Until they say so,
    # the coordinators keep it from the partner.
    partner_may_know = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["concern", "intervention", "reassignment"]),
                name="help_request_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(requester_role__in=["mentor", "mentee"]),
                name="help_request_role_valid",
            ),
            # Closed exactly when it has an outcome and a time.
            models.CheckConstraint(
                condition=(
                    Q(status="open", outcome="", closed_at__isnull=True)
                    | Q(
                        status="closed",
                        outcome__in=["resolved", "mediated", "partnership_ended", "reassigned"],
                        closed_at__isnull=False,
                    )
                ),
                name="help_request_closed_has_outcome",
            ),
        ]
        indexes = [
            # The coordinators' queue: a program's requests (through the partnership), open
            # ones first, newest first; and a partnership's own list on its help page.
            models.Index(
                fields=["partnership", "status", "-created_at"], name="help_request_queue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class HelpMessage(models.Model):
    """A reply on a request: from the program (a coordinator) or the requester's own follow-up."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(HelpRequest, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # True when a coordinator wrote it: the requester is emailed that the program replied.
    from_program = models.BooleanField()
    body = EncryptedTextField(max_length=MAX_MESSAGE_CHARS)
    created_at = StampField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Message on {self.request}"


class SupportAction(models.TextChoices):
    """What the audit trail records (details: kind, outcome, partner_may_know; no text)."""

    RAISED = "support.raised", "Help asked for"
    REPLIED = "support.replied", "Program replied"
    FOLLOWED_UP = "support.followed_up", "Requester wrote again"
    CLOSED = "support.closed", "Request closed"
