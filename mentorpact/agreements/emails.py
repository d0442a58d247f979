"""Rendering and sending the agreement emails (templates/emails/agreement-*).

The subject and text body are plain text (nothing there can run); the HTML body is rendered
with Django's autoescaping, so whatever the partners typed arrives as text.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse


def absolute(path: str) -> str:
    return settings.SITE_ROOT + path


def agreement_url(partnership) -> str:
    return absolute(reverse("agreements:agreement", args=[partnership.public_id]))


def send(
    name: str,
    *,
    to: list[str],
    context: dict,
    attachments: list[tuple[str, bytes, str]] = (),  # type: ignore[assignment]
) -> None:
    context = {
        "site_name": settings.SITE_NAME,
        "verify_url": absolute(reverse("agreements:verify")),
        **context,
    }
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}-body.txt", context),
        to=to,
    )
    message.attach_alternative(render_to_string(f"emails/{name}-body.html", context), "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
