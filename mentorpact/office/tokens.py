"""The invitation link's token: the invitation's public id and nonce, signed and timestamped.

Single use comes from the row, not the token: accepting sets `accepted_at`, revoking sets
`revoked_at`, and a resend draws a new nonce, so only the newest link of a pending
invitation works. The signature's age gives the expiry (settings.INVITATION_MAX_AGE_DAYS).
"""

import uuid
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.core import signing

from mentorpact.office.models import Invitation

SALT = "mentorpact.office.invitation"


class Refusal(Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REPLACED = "replaced"
    USED = "used"


def max_age() -> timedelta:
    return timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


def make(invitation: Invitation) -> str:
    return signing.dumps([str(invitation.public_id), invitation.nonce.hex], salt=SALT)


def read(token: str) -> tuple[Invitation | None, Refusal | None]:
    """The invitation a link names, and why it may not be used (None: it may)."""
    try:
        public_id, nonce = signing.loads(token, salt=SALT, max_age=max_age())
        expired = False
    except signing.SignatureExpired:
        expired = True
        try:
            public_id, nonce = signing.loads(token, salt=SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None, Refusal.INVALID
    except (signing.BadSignature, ValueError, TypeError):
        return None, Refusal.INVALID
    invitation = (
        Invitation.objects.select_related("program", "user").filter(public_id=public_id).first()
        if isinstance(public_id, str) and _is_uuid(public_id)
        else None
    )
    if invitation is None:
        return None, Refusal.INVALID
    if invitation.accepted_at is not None:
        return invitation, Refusal.USED
    if invitation.revoked_at is not None:
        return invitation, Refusal.REVOKED
    if invitation.nonce.hex != nonce:
        return invitation, Refusal.REPLACED
    if expired:
        return invitation, Refusal.EXPIRED
    return invitation, None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
