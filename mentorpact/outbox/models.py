"""The outbox: every email that must arrive, one row each, sent at least once.

A row is written before anything is sent (by the state change's transaction or by the task
that acts on it, idempotently: `key` is unique) with its Message-ID fixed at creation. A
sender claims a row with a conditional UPDATE that sets a lease (`lease_until`), sends it
through Django's mail backend under that Message-ID, and only then marks it `sent_at`. A
worker that dies holding a lease leaves the row unsent; once the lease has run out any sender
claims it again. So an email is lost never, and sent twice only when a worker died between the
SMTP server's accept and the mark, and then under the same Message-ID (the recipient's mail
system can tell it is one message). An SMTP failure moves `due_at` on (backoff) up to
`sender.MAX_ATTEMPTS`, then the row is given up (`gave_up_at`): the program's coordinators see
it on the Deliveries page and support in the admin, and either may retry it.

The outbox sits just above `audit` so that every app can enqueue mail; it names the program
and partnership a row belongs to by id, with no foreign key up (as `audit.Event`).
"""

import uuid

from django.db import models
from django.db.models import Q

from mentorpact.lib.crypto import EncryptedTextField
from mentorpact.lib.emails import new_message_id


class Email(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Idempotency: "<email name>:<what it is about>:<recipient>", e.g. "agreement-signed:12:7".
    key = models.CharField(max_length=200, unique=True)
    message_id = models.CharField(max_length=250, unique=True, default=new_message_id)
    # The email's template name ("agreement-signed", "reminder"): what coordinators see.
    kind = models.CharField(max_length=60)
    to = models.EmailField(max_length=254)
    # Encrypted at rest (lib.crypto): an email can quote what a partner wrote (a thank-you
    # note), and the outbox keeps it until it is sent and after.
    subject = EncryptedTextField(max_length=500)
    body = EncryptedTextField()
    html = EncryptedTextField(blank=True)
    # Files in default storage, not their bytes: [{"filename", "path", "mimetype", "sha256"}],
    # each stored encrypted (lib.stored_files; the sha256 is the plain file's).
    attachments = models.JSONField(default=list, blank=True)
    program_id = models.BigIntegerField(null=True, blank=True)
    partnership_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField()
    # Failed attempts (a worker that died mid-send is no failure: its lease runs out).
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    # Who holds the lease: "<host>:<pid>:<claim>", unique per claim, so only the claim that
    # sent marks the row sent.
    claimed_by = models.CharField(max_length=120, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sender's claim query: rows neither sent nor given up, by due_at.
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, gave_up_at__isnull=True),
                name="outbox_email_pending",
            ),
            # A program's Deliveries page: its rows, newest first.
            models.Index(fields=["program_id", "-created_at"], name="outbox_email_program"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to} ({self.status})"

    @property
    def status(self) -> str:
        if self.sent_at:
            return "sent"
        if self.gave_up_at:
            return "gave up"
        if self.attempts:
            return "retrying"
        return "waiting"
