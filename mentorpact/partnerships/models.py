import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorpact.lib.fields import StampField
from mentorpact.programs.models import Program


class Partnership(models.Model):
    """One mentor and one mentee in a program, from agreement to closing review."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", "Drafting agreement"
        ACTIVE = "active", "Agreement in effect"
        CONCLUDED = "concluded", "Concluded"
        ENDED_EARLY = "ended_early", "Ended early"
        # The coordinator took the pairing back before anyone signed its agreement.
        UNPAIRED = "unpaired", "Pairing undone"

    OPEN_STATUSES = (Status.DRAFTING, Status.ACTIVE)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="partnerships")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentoring"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentored"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFTING)
    started_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # This pair's own deadline for the signed agreement, fixed when they were paired: the
    # program's date or its `agreement_days_after_pairing` after pairing, whichever is later,
    # so a pair created after the kick-off is not late on creation. Its first agreement is due
    # on this date; the overview, the partnership page and reminders all read it from there.
    agreement_due_on = models.DateField(null=True, blank=True)
    created_at = StampField(auto_now_add=True)
    status_changed_at = StampField(auto_now_add=True)
    # Bumped by partnerships.signals.changed, which every service that changes what the pair
    # has to do calls inside its transaction: the overview's cached health of this pair is
    # keyed by it (workspace.selectors.program_health), so a change is never shown stale.
    facts_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="partnership_distinct_people"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["drafting", "active", "concluded", "ended_early", "unpaired"]
                ),
                name="partnership_status_valid",
            ),
            # A pair has at most one open partnership per program at a time.
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"],
                condition=Q(status__in=["drafting", "active"]),
                name="partnership_one_open_per_pair",
            ),
            # A mentee has one mentor at a time in a program: two coordinators pairing the same
            # mentee at once get one partnership. A closed one (ended early, undone) may be
            # followed by a new pairing: that is reassignment.
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status__in=["drafting", "active"]),
                name="partnership_one_open_per_mentee",
            ),
        ]
        indexes = [
            # The program overview: a program's partnerships, filtered by status, newest first.
            models.Index(fields=["program", "status", "-created_at"], name="partnership_overview"),
            # The unfiltered overview: a program's partnerships newest first (-created_at, -id),
            # which the status-led index above cannot serve without sorting every row.
            models.Index(fields=["program", "-created_at", "-id"], name="partnership_overview_all"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} & {self.mentee} ({self.program})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def role_of(self, user) -> str | None:
        if user.pk == self.mentor_id:
            return "mentor"
        if user.pk == self.mentee_id:
            return "mentee"
        return None

    def partner_of(self, user):
        return self.mentee if user.pk == self.mentor_id else self.mentor


class PartnershipAction(models.TextChoices):
    """What the audit trail (audit.Event.action) records about a partnership itself; the
    event's details carry `from_status` and `to_status`."""

    CREATED = "partnership.created", "Partnership created"
    STATUS_CHANGED = "partnership.status_changed", "Status changed"


def status_label(status: str) -> str:
    """A status in words, as people see it ("Agreement in effect", not "active")."""
    return Partnership.Status(status).label if status else ""
