"""Meetings, the activity log's notes, feedback after a session, and calendar feeds.

What partners write (agendas, topics, reasons, notes, feedback answers) is encrypted at rest
(crypto.EncryptedText) and confidential: coordinators see a meeting's dates, status and length,
and counts, never its agenda or topics. Event rows hold dates, statuses and counts only.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.lib.crypto import (
    EncryptedText,
    EncryptedTextField,
    Unreadable,
    decoded_json,
    is_unreadable,
)
from mentorpact.lib.fields import StampField
from mentorpact.partnerships.models import Partnership


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    # When it starts (UTC; for a held meeting, when it took place) and the zone it was planned
    # in: the calendar file carries that zone, so "09:30 in Chicago" stays 09:30 in Chicago
    # across daylight-saving changes.
    starts_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveSmallIntegerField()
    # The mode's key (from the agreement's meeting modes field, or the default list) and its
    # label as it was shown, so listing meetings never needs the template.
    mode = models.CharField(max_length=40)
    mode_label = models.CharField(max_length=200)
    place = EncryptedTextField("place or link", max_length=500, blank=True)
    agenda_token = models.TextField(blank=True)
    agenda = EncryptedText("agenda_token")
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Held: how long it really took, and what was discussed.
    held_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    topics_token = models.TextField(blank=True)
    topics = EncryptedText("topics_token")
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Recorded after the fact without having been scheduled here (a chat in the corridor).
    off_platform = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When it was first planned for: a rescheduled meeting stays the same meeting (and the
    # same calendar event), its history rows keep each earlier time.
    original_starts_at = models.DateTimeField(null=True, blank=True)
    # iCalendar SEQUENCE: bumped by every reschedule and the cancellation, so calendar
    # programs replace their copy instead of keeping a stale one.
    sequence = models.PositiveIntegerField(default=0)
    # Bumped by every change; a change names the version it was based on and is refused when
    # another came first (a conditional UPDATE: SQLite ignores select_for_update).
    version = models.PositiveIntegerField(default=1)
    # Claimed by the feedback invitation task with a conditional UPDATE: one email each.
    feedback_invited_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "held", "cancelled"]),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="meeting_duration_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_minutes__gte=1, recorded_at__isnull=False),
                name="meeting_held_has_details",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="meeting_cancelled_has_time",
            ),
        ]
        indexes = [
            # A partnership's meetings in time order (its log, counts, last contact).
            models.Index(fields=["partnership", "status", "starts_at"], name="meeting_partnership"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} meeting at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def was_moved(self) -> bool:
        return self.original_starts_at is not None and self.original_starts_at != self.starts_at


class MeetingAction(models.TextChoices):
    """What the audit trail (audit.Event.action) records about a meeting. The event's details
    hold dates, statuses and numbers only; a reason given for cancelling or moving is
    partner-only text, kept encrypted beside the event (`MeetingReason`)."""

    SCHEDULED = "meeting.scheduled", "Meeting scheduled"
    RESCHEDULED = "meeting.rescheduled", "Meeting rescheduled"
    CANCELLED = "meeting.cancelled", "Meeting cancelled"
    HELD = "meeting.held", "Meeting recorded as held"
    FEEDBACK_INVITED = "meeting.feedback_invited", "Feedback invitations sent"


class MeetingReason(models.Model):
    """Why a meeting was moved or cancelled, in the partner's words: encrypted, and out of
    the audit table, which coordinators may read."""

    event = models.OneToOneField(
        "audit.Event", on_delete=models.CASCADE, primary_key=True, related_name="meeting_reason"
    )
    reason_token = models.TextField()
    reason = EncryptedText("reason_token")

    def __str__(self) -> str:
        return f"Reason for event {self.event_id}"


class Note(models.Model):
    """An activity log entry: about one meeting, or free. Shared with the partner, or private
    to its author. Only its author edits it, and nobody once the partnership has closed."""

    class Visibility(models.TextChoices):
        SHARED = "shared", "Shared with my partner"
        PRIVATE = "private", "Private to me"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="notes")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    body_token = models.TextField()
    body = EncryptedText("body_token")
    version = models.PositiveIntegerField(default=1)
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["shared", "private"]), name="note_visibility_valid"
            )
        ]
        indexes = [
            # The activity log: one partnership's notes, newest first.
            models.Index(fields=["partnership", "-created_at"], name="note_log"),
        ]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} note by {self.author} ({self.created_at:%Y-%m-%d})"

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.SHARED

    @property
    def was_edited(self) -> bool:
        return self.version > 1


class Feedback(models.Model):
    """One person's answers to the program's questions after a held meeting."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10)
    # JSON [{"question": ..., "answer": ...}], encrypted: the questions as they were asked.
    answers_token = models.TextField()
    answers_json = EncryptedText("answers_token")
    shared_with_partner = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "author"], name="feedback_one_per_author"),
            models.CheckConstraint(
                condition=Q(role__in=["mentor", "mentee"]), name="feedback_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback by {self.author} on {self.meeting_id}"

    @property
    def answers(self) -> list[dict[str, str]]:
        answers = decoded_json(self.answers_token, empty=list)
        if is_unreadable(answers):  # one line saying so, where the answers would be
            return [{"question": "Feedback", "answer": Unreadable(self.answers_token)}]
        return answers


class CalendarFeed(models.Model):
    """A person's private calendar feed URL. Only the token's SHA-256 is stored: whoever holds
    the URL reads the feed (calendar programs cannot sign in), so it is revocable, and a new
    one can be made at any time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="feed_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user} ({'revoked' if self.revoked_at else 'active'})"
