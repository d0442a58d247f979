"""The agreement emails (templates/emails/agreement-*): every one carries the verify link."""

from collections.abc import Sequence

from django.urls import reverse

from mentorpact.lib import emails
from mentorpact.lib.emails import absolute


def agreement_url(partnership) -> str:
    return absolute(reverse("agreements:agreement", args=[partnership.public_id]))


def send(
    name: str,
    *,
    to: list[str],
    context: dict,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    context = {"verify_url": absolute(reverse("agreements:verify")), **context}
    emails.send(name, to=to, context=context, attachments=attachments)
