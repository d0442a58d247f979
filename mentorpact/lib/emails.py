"""Rendering and sending Mentorpact's emails (templates/emails/<name>-subject.txt|-body.txt|
-body.html), for every app.

The subject and text body are plain text (nothing there can run); the HTML body is rendered
with Django's autoescaping, so whatever the partners typed arrives as text. Call `send` from a
task enqueued in `transaction.on_commit`, never inside a request's transaction. Mail that must
arrive (and never twice under two Message-IDs) goes through the outbox instead:
`render` here, then `outbox.services.enqueue` (docs/architecture.md, "Durable delivery").
"""

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.template.loader import render_to_string


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    html: str


def absolute(path: str) -> str:
    """A site path as the full link an email needs."""
    return settings.SITE_ROOT + path


def render(name: str, context: dict) -> Rendered:
    """The subject (one line), text body and HTML body of the email `name`."""
    context = {"site_name": settings.SITE_NAME, **context}
    return Rendered(
        subject=" ".join(render_to_string(f"emails/{name}-subject.txt", context).split()),
        body=render_to_string(f"emails/{name}-body.txt", context),
        html=render_to_string(f"emails/{name}-body.html", context),
    )


def message_domain() -> str:
    """The site's own domain, for Message-IDs (no DNS lookup of this host's name)."""
    return urlsplit(settings.SITE_ROOT).hostname or "mentorpact.invalid"


def new_message_id() -> str:
    """A fresh, unique Message-ID."""
    return make_msgid(domain=message_domain())


def message(
    rendered: Rendered,
    *,
    to: list[str],
    attachments: Sequence[tuple[str, bytes, str]] = (),
    message_id: str | None = None,
) -> EmailMultiAlternatives:
    """The message to send; `message_id` fixes its Message-ID header (the outbox's, so a
    send repeated after a crash is the same message to the recipient's mail system)."""
    email = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.body,
        to=to,
        headers={"Message-ID": message_id} if message_id else None,
    )
    email.attach_alternative(rendered.html, "text/html")
    for filename, content, mimetype in attachments:
        email.attach(filename, content, mimetype)
    return email


def send(
    name: str,
    *,
    to: list[str],
    context: dict,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    message(render(name, context), to=to, attachments=attachments).send()
