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
    """A CSV file between its preview and its import (the import reads and checks it again)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename or str(self.public_id)
