"""A program's periodic evaluations: the form (YAML, `form.py`), its rounds for each
partnership (when it opens, its deadline: kept by progress from the pair's facts) and each
partner's answers (encrypted at rest; the coordinators read only rates and aggregates,
unless the form is `named`)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.lib.crypto import EncryptedJSONField
from mentorpact.lib.fields import StampField
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Program


class Evaluation(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="evaluations")
    # The form as the coordinator wrote it (questions and schedule: not confidential), and
    # the parts the lists show without parsing it.
    source = models.TextField(max_length=50_000)
    title = models.CharField(max_length=500)
    named = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Moves on with every edit of the form: an edit made from an older page is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="evaluation_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Round(models.Model):
    """One asking of an evaluation of one partnership's two partners: written by
    progress.due_rows from the pair's facts (evaluations.schedule)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="rounds")
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="evaluation_rounds"
    )
    key = models.CharField(max_length=40)
    opens_on = models.DateField()
    closes_on = models.DateField()  # the deadline, inclusive: answers and edits until then

    class Meta:
        ordering = ["opens_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "partnership", "key"], name="evaluation_round_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} ({self.key})"


class Response(models.Model):
    """One partner's answers to one round, given once and edited until the deadline."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=10)
    # {question key: answer text}: what the partner wrote, encrypted at rest.
    answers = EncryptedJSONField()
    # Moves on with every edit: an edit made from an older page is refused.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="evaluation_answer_once"),
        ]

    def __str__(self) -> str:
        return f"Response to {self.round}"


class EvaluationAction(models.TextChoices):
    CREATED = "evaluation.created", "Evaluation created"
    EDITED = "evaluation.edited", "Evaluation edited"
    ANSWERED = "evaluation.answered", "Evaluation answered"
    ANSWER_EDITED = "evaluation.answer_edited", "Evaluation answer edited"
    CLOSED = "evaluation.closed", "Evaluation closed"
