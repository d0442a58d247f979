import uuid

from django.conf import settings
from django.db import models

from mentorpact.programs.models import Program


class AgreementsZip(models.Model):
    """A ZIP of every signed agreement PDF a program is entitled to (its template's
    distribution is "program"), built by the worker (`tasks.build_agreements_zip`) while the
    coordinator watches its status page, then emailed as a link. The file is kept encrypted
    in default storage (`lib.stored_files`) under `file_name`; a later ZIP of the program
    deletes the earlier file (its rows stay, as the record of who asked when)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Building"
        DONE = "done", "Ready"
        FAILED = "failed", "Could not be built"

    PENDING = (Status.QUEUED, Status.BUILDING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # The progress indicator: PDFs added so far of `total`.
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=300, blank=True)
    # backups.stored_file_names: backed up, restored and re-encrypted with the other files.
    STORED_FILES = ("file_name",)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    problem = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "building", "done", "failed"]),
                name="agreementszip_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Signed agreements of {self.program} ({self.created_at:%Y-%m-%d})"

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class DashboardAction(models.TextChoices):
    """What the audit trail records about the dashboard's exports."""

    ZIP_REQUESTED = "dashboard.zip_requested", "Signed agreements ZIP requested"
    ZIP_BUILT = "dashboard.zip_built", "Signed agreements ZIP built"
    ZIP_DOWNLOADED = "dashboard.zip_downloaded", "Signed agreements ZIP downloaded"
    EXPORTED = "dashboard.exported", "Program data exported"


class PairFacts(models.Model):
    """One narrow row a partnership with the facts the dashboard's bars read, so that every
    pair-based figure is one aggregate over a program's rows (no subquery a pair). Kept up
    to date by `facts.refresh` whenever progress brings the pair's due rows up to date
    (progress.signals.due_refreshed: after every change of the pair's facts, and after a
    change of its program's terms), in the same transaction. What depends on the day (an
    agreement or contact overdue) is kept as the day it is overdue from, compared with today
    in SQL, so the rows stay true as days pass without a write. Dates, flags and statuses
    only: nothing the partners wrote."""

    partnership = models.OneToOneField(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="dashboard_facts",
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)  # the partnership's (Partnership.Status)
    paired_on = models.DateField()  # the day paired, UTC (cohort and date range filters)
    signed = models.BooleanField(default=False)  # an agreement came into effect
    first_signed = models.BooleanField(default=False)  # the first agreement did
    first_late = models.BooleanField(default=False)  # after its due date
    # The open "agreement due" / "contact" due row's overdue day (progress.DueEntry), if any.
    agreement_overdue_on = models.DateField(null=True, blank=True)
    contact_due = models.BooleanField(default=False)  # an open "contact" due row
    contact_overdue_on = models.DateField(null=True, blank=True)
    met = models.BooleanField(default=False)  # a meeting was held
    plan_started = models.BooleanField(default=False)
    plan_complete = models.BooleanField(default=False)
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The dashboard's figures: a program's rows, by the day paired (its cohort and
            # date range filters), selectors.facts.
            models.Index(fields=["program", "paired_on"], name="pairfacts_program_paired"),
            # Its mentor filter.
            models.Index(fields=["program", "mentor"], name="pairfacts_program_mentor"),
        ]

    def __str__(self) -> str:
        return f"Dashboard facts of partnership {self.partnership_id}"
