"""The audit trail: one row per thing that happened, whoever did it and wherever it happened.

Every app's services write here through `audit.record(...)`; the partnership timeline, the
agreement's and a meeting's history, a program's template history and the security log all
read this one table.

The trail sits just above `accounts` so that every app can write to it. It names the object an
event is about by its kind and integer key, with no foreign key into the apps above: a foreign
key would point this low layer up at them, and an audit row must outlive (and never cascade
with) what it is about. `details` holds non-confidential facts only (ids, numbers, dates,
statuses, field keys): coordinators read these rows. Text the partners wrote that belongs to an
event (a meeting's reason for moving) stays in its app, encrypted, keyed by the event.

The trail is append-only in the database (triggers, audit/migrations/0004: no UPDATE, no
DELETE) and hash-chained (`chain.py`): event `seq` n stores the hash of event n-1's hash and
its own fields; `ChainHead` holds the last one, and `manage.py verify_integrity` checks them.
An event names its actor by id only: anonymising an account changes no event.
"""

from django.conf import settings
from django.db import models


class Event(models.Model):
    at = models.DateTimeField()
    # PROTECT, not SET_NULL: an event is never updated (the triggers refuse it), so a person
    # with events is anonymised, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    # "<area>.<kind>": "partnership.status_changed", "agreement.signed", "accounts.sign_in_failed".
    action = models.CharField(max_length=60)
    # The object's model name ("partnership", "agreement", "meeting", "agreementtemplate",
    # "program", "user") and key; blank for a request that named none of ours.
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    # The partnership and program the event belongs to, when it belongs to one: the
    # partnership's timeline and a program's history read by these, not through joins.
    partnership_id = models.BigIntegerField(null=True, blank=True)
    program_id = models.BigIntegerField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The event's place in the chain (1, 2, 3 ... with no gap: the insert trigger refuses any
    # other) and the hash of the previous event's hash and this event's fields (chain.link).
    seq = models.BigIntegerField(unique=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # The partnership page's timeline: one partnership's events in order
            # (progress.selectors.timeline_entries).
            models.Index(fields=["partnership_id", "at", "id"], name="audit_partnership_timeline"),
            # One object's own history: an agreement's history page and PDF, a meeting's
            # history, a plan item's edits, a person's sign-ins (audit.selectors.history_of).
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_history"),
            # A program's template history, newest first
            # (agreement_templates.selectors.program_template_events).
            models.Index(fields=["program_id", "at"], name="audit_program_history"),
            # The security log: every sign-in failure or refusal of a kind, in time
            # (reliability and security work reads by action over a time window).
            models.Index(fields=["action", "at"], name="audit_action_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__contains="."), name="audit_action_has_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def kind(self) -> str:
        """The action without its area: "signed" for "agreement.signed"."""
        return self.action.partition(".")[2]


class ChainHead(models.Model):
    """The last event of the chain (one row, id 1): its `seq` and `hash`.

    `services.record` locks this row (an UPDATE) before it numbers and hashes an event, so two
    writers at once queue here instead of forking the chain; the insert trigger moves it on.
    verify_integrity checks it against the last event, so a removed tail shows.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"audit chain at {self.seq}"
