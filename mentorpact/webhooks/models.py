"""Webhooks: a program's HTTPS endpoints, and every delivery to them as due work.

An endpoint subscribes to some of `Event`; a service that makes one happen calls
`services.emit(...)` in its own transaction, which writes one `Delivery` row per subscribed
endpoint (so the row exists exactly when the change does). A sender claims a due row with a
conditional UPDATE that sets a lease, POSTs it signed (HMAC-SHA256 over the timestamp and
the body, `signing.py`), and only then marks it `sent_at`; a failure moves `due_at` on by
WEBHOOK_BACKOFF_SECONDS until the last wait, then the row is given up (`gave_up_at`). The
program's coordinators see every delivery on the program's Webhooks page.

A payload holds ids, statuses, dates and kinds, never what anyone wrote: coordinators
register the endpoints, and coordinators see dates and statuses only.
"""

import uuid

from django.db import models
from django.db.models import Q

from mentorpact.accounts.models import User
from mentorpact.lib.crypto import EncryptedTextField
from mentorpact.programs.models import Program


class Event(models.TextChoices):
    AGREEMENT_SIGNED = "agreement.signed", "An agreement was signed by everyone"
    PARTNERSHIP_STATUS_CHANGED = "partnership.status_changed", "A partnership's status changed"
    CONCERN_RAISED = "concern.raised", "Someone asked the program for help"
    EVALUATION_CLOSED = "evaluation.closed", "An evaluation was closed"


class Endpoint(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)  # Event values
    # Signs every delivery; shown to the coordinator once, kept encrypted (lib.crypto).
    secret = EncryptedTextField(max_length=100)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()  # the body as sent: ids, statuses, dates (module docstring)
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)  # the receiver's HTTP code
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sender's claim: unsent, not given up, due (sender.claim).
            models.Index(
                fields=["due_at"],
                name="webhook_delivery_due",
                condition=Q(sent_at__isnull=True, gave_up_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id}"

    @property
    def refusal(self) -> str:
        """Why the sender would not call the endpoint (addresses.Refused), for the log."""
        prefix = "Refused: "
        return self.last_error.removeprefix(prefix) if self.last_error.startswith(prefix) else ""

    @property
    def status(self) -> str:
        if self.sent_at:
            return "delivered"
        if self.gave_up_at:
            return "given up"
        return "retrying" if self.attempts else "sending"
