"""Writes for a person's rights over their data: deleting their account.

Deleting anonymises: the account row stays (every record that names a signer, an author or
an organiser points at it, and the signed agreements must stay whole for the program) but
holds nothing personal any more: name "Deleted person", an address that can receive nothing,
no password, switched off. What the person signed keeps the name as they typed it when
signing (`Signature.typed_name`) and the sealed PDFs, because the agreement is a record.
Every session ends (the password hash changes, and Django checks each session against it),
the calendar feed stops working, and pending invitations are withdrawn.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.meetings.models import CalendarFeed
from mentorpact.office.models import Invitation
from mentorpact.privacy import selectors
from mentorpact.sso.models import Identity

DELETED_NAME = "Deleted person"


class DeletionRefused(ValidationError):
    pass


@transaction.atomic
def delete_account(*, user: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    blockers = selectors.deletion_blockers(user)
    if blockers:
        raise DeletionRefused([blocker.message for blocker in blockers])
    # A conditional UPDATE, so two submits (two tabs) delete once and record once.
    changed = User.objects.filter(pk=user.pk, deleted_at__isnull=True).update(
        full_name=DELETED_NAME,
        preferred_name="",
        department="",
        email=f"deleted-{user.public_id}@deleted.invalid",
        is_active=False,
        is_staff=False,
        is_superuser=False,
        deleted_at=now,
    )
    if not changed:
        return
    user.refresh_from_db()
    user.set_unusable_password()  # a new hash: every session of the account ends
    user.save(update_fields=["password"])
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    # The institution's sign-in no longer leads here: a later sign-in by the same person is
    # refused like anyone's without an account.
    Identity.objects.filter(user=user).delete()
    Invitation.objects.filter(user=user, accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    audit.record("privacy.account_deleted", on=user, actor=user, now=now)


def record_export(*, user: User, now: datetime) -> None:
    """A download of one's own data is a read the audit trail keeps, like every export."""
    audit.record("privacy.data_exported", on=user, actor=user, now=now)
