"""The agreement emails (templates/emails/agreement-*): every one carries the verify link.
They go through the outbox (mentorpact/outbox), rendered here."""

from django.urls import reverse

from mentorpact.lib import emails
from mentorpact.lib.emails import absolute


def agreement_url(partnership) -> str:
    return absolute(reverse("agreements:agreement", args=[partnership.public_id]))


def sign_url(partnership) -> str:
    return absolute(reverse("agreements:sign", args=[partnership.public_id]))


def invited_sign_url(token: str) -> str:
    """The page an invited signer (a parent or guardian) signs on, with no sign-in."""
    return absolute(reverse("agreements:invited_sign", args=[token]))


def render(name: str, *, context: dict) -> emails.Rendered:
    """An agreement email rendered for the outbox, with the verify link."""
    return emails.render(name, {"verify_url": absolute(reverse("agreements:verify")), **context})
