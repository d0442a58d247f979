import uuid

from django.conf import settings
from django.db import models

from mentorpact.lib.crypto import EncryptedJSONField
from mentorpact.lib.fields import StampField
from mentorpact.programs.models import Program


class MatchingAction(models.TextChoices):
    """What the audit trail records about matching. Details hold ids, counts and question
    keys, never an answer."""

    QUESTIONS_SAVED = "matching.questions_saved", "Intake questions saved"
    PROFILE_SAVED = "matching.profile_saved", "Matching profile saved"
    REMINDED = "matching.reminded", "Profile reminders sent"
    RANKED = "matching.ranked", "Mentors ranked"
    DECLINED = "matching.declined", "Mentee declined"
    UNDECLINED = "matching.undeclined", "Decline withdrawn"
    PINNED = "matching.pinned", "Pair pinned"
    FORBIDDEN = "matching.forbidden", "Pair forbidden"
    RULE_CLEARED = "matching.rule_cleared", "Pin or forbid removed"
    RUN = "matching.run", "Match run"
    PUBLISHED = "matching.published", "Match published"


class Questionnaire(models.Model):
    """A program's intake questions, as YAML (questions.py reads it)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="questionnaire")
    source = models.TextField(blank=True)
    updated_at = StampField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Intake questions of {self.program}"


class Profile(models.Model):
    """A person's answers to their program's intake questions, in one role."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_profiles"
    )
    role = models.CharField(max_length=20)  # Enrolment.Role: mentor or mentee
    # {question key: answer}. Encrypted: free-text answers are the person's own (questions.py).
    answers = EncryptedJSONField()
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = StampField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="matching_profile_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role} in {self.program}"


class Preference(models.Model):
    """A mentee's ranking of a mentor: place 1 is the first choice."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    place = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "mentee", "mentor"], name="matching_preference_unique"
            ),
            models.UniqueConstraint(
                fields=["program", "mentee", "place"], name="matching_preference_place"
            ),
        ]
        ordering = ["place"]

    def __str__(self) -> str:
        return f"{self.mentee} ranks {self.mentor} {self.place}"


class PairRule(models.Model):
    """A hard constraint on one pair: the mentor declined the mentee, or the coordinator pinned
    or forbade the pair."""

    class Kind(models.TextChoices):
        DECLINED = "declined", "Declined by the mentor"
        PINNED = "pinned", "Pinned by the coordinator"
        FORBIDDEN = "forbidden", "Forbidden by the coordinator"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)

    class Meta:
        constraints = [
            # A mentor's decline and a coordinator's pin or forbid may both exist for a pair.
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee", "kind"], name="matching_rule_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.mentor} with {self.mentee}"


class MatchRun(models.Model):
    """One run of the match: what went in, with which parameters, and what came out, kept so
    a pairing can be explained later. Published once (its pairs made partnerships)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="match_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    # Questions (their YAML), every compared answer (never a free-text one), capacities,
    # rankings, declines, pins and forbids, by user public id.
    inputs = models.JSONField(default=dict)
    parameters = models.JSONField(default=dict)
    # {"pairs": [...with lines], "unmatched": [...], "ignored_pins": [...], "total_score"}
    result = models.JSONField(default=dict)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Match run of {self.program} at {self.created_at:%Y-%m-%d %H:%M}"
