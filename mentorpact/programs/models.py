import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Program(models.Model):
    """A mentoring program run by an office or a society."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    sponsor = models.CharField("sponsoring office", max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # Where signed agreements go when the template says "returned to the program".
    return_address = models.EmailField(blank=True)
    kickoff_date = models.DateField(null=True, blank=True)
    agreement_due_date = models.DateField(null=True, blank=True)
    # A pair paired late gets at least this long to sign: each partnership's agreement is due
    # on the program's date or this many days after pairing, whichever is later.
    agreement_days_after_pairing = models.PositiveSmallIntegerField(
        "days to sign after pairing",
        default=28,
        help_text="A pair paired late still gets this many days to sign their agreement.",
    )
    # How long a finished partnership's records (its signed agreements included) are kept
    # after it ended; then `manage.py purge_expired` deletes them (privacy.retention).
    retention_years = models.PositiveSmallIntegerField(
        "years to keep finished partnerships",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="A concluded, ended or undone partnership's records, its signed agreements "
        "included, are deleted this many years after it finished.",
    )
    # The template new agreements are drafted from is agreement_templates.ProgramTemplate
    # (this app knows no templates).
    # The program's overrides of its template's rules (same keys as the template's `rules`).
    rules = models.JSONField(default=dict, blank=True)
    # Archived programs leave the site administrator's list of current programs and their
    # coordinators' "My programs"; nothing in them is deleted.
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    """A person's role in one program. The same person may hold roles in several programs."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Coordinator"
        MENTOR = "mentor", "Mentor"
        MENTEE = "mentee", "Mentee"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    # How many mentees a mentor takes at once in this program (ignored for other roles).
    capacity = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="enrolment_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["coordinator", "mentor", "mentee"]),
                name="enrolment_role_valid",
            ),
        ]
        # The access check "is this person a coordinator of this program" reads
        # (user, role, program); the unique index above leads with program instead.
        indexes = [models.Index(fields=["user", "role"], name="enrolment_user_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} in {self.program}"
