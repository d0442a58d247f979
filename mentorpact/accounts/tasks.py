"""Background work for accounts, run by `manage.py db_worker`. Ids as arguments: a token is
made when the email goes out, from the account as it is then (so no token waits in the task
table)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mentorpact.accounts import tokens
from mentorpact.accounts.models import User
from mentorpact.lib.emails import absolute, send


@task
def send_email_change_link(user_id: int, new_email: str) -> None:
    user = User.objects.get(pk=user_id)
    token = tokens.email_change_token(user, new_email)
    send(
        "accounts-email-change",
        to=[new_email],
        context={
            "person": user,
            "new_email": new_email,
            "url": absolute(reverse("accounts:email_confirm", args=[token])),
            "hours": settings.EMAIL_CHANGE_MAX_AGE_SECONDS // 3600,
        },
    )


@task
def send_email_changed_notice(old_email: str, user_id: int) -> None:
    """Tell the old address, so a change nobody asked for does not go unnoticed."""
    user = User.objects.get(pk=user_id)
    send("accounts-email-changed", to=[old_email], context={"person": user, "old_email": old_email})


@task
def send_password_reset(user_id: int) -> None:
    """The reset link, pointing at SITE_ROOT rather than the request's Host header."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    site = urlsplit(settings.SITE_ROOT)
    send(
        "password-reset",
        to=[user.email],
        context={
            "user": user,
            "email": user.email,
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
            "protocol": site.scheme,
            "domain": site.netloc,
        },
    )
