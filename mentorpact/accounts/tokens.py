"""The email-change link's token (read back by services.read_email_change_token)."""

from django.core import signing

from mentorpact.accounts.models import User

EMAIL_CHANGE_SALT = "mentorpact.accounts.email-change"


def email_change_token(user: User, new_email: str) -> str:
    """Signed (SECRET_KEY), dated (EMAIL_CHANGE_MAX_AGE_SECONDS), and bound to the address it
    replaces: once the email has changed, every older link for the account stops working."""
    return signing.dumps(
        {"user": str(user.public_id), "old": user.email, "new": new_email},
        salt=EMAIL_CHANGE_SALT,
        compress=True,
    )
