"""The link an invited signer (a parent or guardian, a supervisor) signs through, with no
sign-in: the `InvitedSigner`'s public id and link version, signed and timestamped.

The row decides whether a link still works: naming someone else bumps `link_version`, so
only the newest link works; the signature's age gives the expiry
(settings.INVITED_SIGNER_MAX_AGE_DAYS; a partner sends it again from the agreement page).
The link opens one page, the draft they sign (or the version they signed), and nothing else
of the partnership. It is kept at rest only inside its outbox email, which is encrypted.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

from mentorpact.agreements.models import InvitedSigner

SALT = "mentorpact.agreements.invited-signer"


def max_age() -> timedelta:
    return timedelta(days=settings.INVITED_SIGNER_MAX_AGE_DAYS)


def make(invited: InvitedSigner) -> str:
    return signing.dumps([str(invited.public_id), invited.link_version], salt=SALT)


def read(token: str) -> InvitedSigner | None:
    """The invited signer a link names, or None (made up, expired, or replaced)."""
    try:
        public_id, link_version = signing.loads(token, salt=SALT, max_age=max_age())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    invited = (
        InvitedSigner.objects.select_related("user", "agreement__partnership__program")
        .filter(public_id=public_id)
        .first()
    )
    if invited is None or invited.link_version != link_version:
        return None
    return invited
