"""Rendering and sending Mentorpact's emails (templates/emails/<name>-subject.txt|-body.txt|
-body.html), for every app.

The subject and text body are plain text (nothing there can run); the HTML body is rendered
with Django's autoescaping, so whatever the partners typed arrives as text. Call `send` from a
task enqueued in `transaction.on_commit`, never inside a request's transaction.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute(path: str) -> str:
    """A site path as the full link an email needs."""
    return settings.SITE_ROOT + path


def send(
    name: str,
    *,
    to: list[str],
    context: dict,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    context = {"site_name": settings.SITE_NAME, **context}
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
