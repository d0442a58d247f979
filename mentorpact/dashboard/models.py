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
