"""The program's own events (networking functions, trainings, focus groups): who is invited
or required, each invitee's answer (yes, no, maybe; a notice of absence with its reason for a
required event) and, afterwards, who attended."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.lib.crypto import EncryptedTextField
from mentorpact.lib.fields import StampField
from mentorpact.programs.models import Program

ROLES = ("mentor", "mentee")


class ProgramEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    place = models.CharField("place or online link", max_length=500)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    # Which roles are invited ("mentor", "mentee"), and whether attendance is required of them.
    invited_roles = models.JSONField(default=list)
    required = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "Yes, I'll come"
        NO = "no", "No"
        MAYBE = "maybe", "Maybe"

    event = models.ForeignKey(ProgramEvent, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    # For a required event, a "no" is a notice of absence and says why (to the coordinators).
    absence_reason = EncryptedTextField(max_length=1000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True)

    class Meta:
        ordering = ["user__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"


class EventAction(models.TextChoices):
    CREATED = "event.created", "Event created"
    ANSWERED = "event.answered", "Invitee answered"
    ATTENDANCE = "event.attendance_recorded", "Attendance recorded"
