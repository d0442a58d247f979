import uuid

from django.conf import settings
from django.db import models

from mentorpact.programs.models import Enrolment, Program


class ProgramAction(models.TextChoices):
    """What the audit trail (audit.Event.action) records about a program: its settings,
    coordinators and people. Details hold non-confidential facts only (field names, emails,
    roles, counts): coordinators read these."""

    CREATED = "program.created", "Program created"
    SETTINGS_CHANGED = "program.settings_changed", "Settings changed"
    ARCHIVED = "program.archived", "Program archived"
    RESTORED = "program.restored", "Program restored"
    COORDINATOR_REMOVED = "program.coordinator_removed", "Coordinator removed"
    INVITED = "program.invited", "Person invited"
    ENROLLED = "program.enrolled", "Existing account enrolled"
    INVITATION_RESENT = "program.invitation_resent", "Invitation sent again"
    INVITATION_REVOKED = "program.invitation_revoked", "Invitation revoked"
    INVITATION_ACCEPTED = "program.invitation_accepted", "Invitation accepted"
    PEOPLE_IMPORTED = "program.people_imported", "People imported from a CSV file"
    PEOPLE_IMPORT_QUEUED = "program.people_import_queued", "People import started"
    PEOPLE_IMPORT_FAILED = "program.people_import_failed", "People import refused"


class Invitation(models.Model):
    """An emailed invitation to take up a role in a program, by a single-use signed link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(max_length=20, choices=Enrolment.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The link's token carries it; a resend draws a new one, so only the newest email works.
    nonce = models.UUIDField(default=uuid.uuid4)
    sent_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One invitation per role; inviting again re-sends it. The roster's status
            # subquery reads (program, user, role) through this index.
            models.UniqueConstraint(
                fields=["program", "user", "role"], name="invitation_one_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} in {self.program}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    def renew(self, *, now, by) -> None:
        """Ready to send again: a new link (the old one stops working), pending again."""
        self.nonce = uuid.uuid4()
        self.sent_at = now
        self.accepted_at = None
        self.revoked_at = None
        self.invited_by = by


class PeopleUpload(models.Model):
    """A CSV file between its preview and its import, and then the import's progress: the
    coordinator's "Import" queues it (`status` queued), the worker's task checks it again
    and imports it (done, with its counts in `result`, or failed, with the reasons in
    `problems`). "Importing" exists only inside the import's transaction (its claim), so
    nobody else ever sees it. The file's content is emptied once it has been imported or
    refused: its rows live in the program, or nowhere."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        QUEUED = "queued", "Waiting to import"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    # What the status page still waits for.
    PENDING = (Status.QUEUED, Status.IMPORTING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField()
    rows = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)  # EnrolResult's counts, when done
    problems = models.JSONField(default=list, blank=True)  # why not, in sentences, when failed
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["previewed", "queued", "importing", "done", "failed"]
                ),
                name="peopleupload_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.filename or str(self.public_id)

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING
