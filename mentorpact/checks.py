"""System checks for misconfiguration, with stable ids (model: healthchecks hc/api/apps.py)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    backend = settings.MAILERS["default"]["BACKEND"]
    if not settings.DEBUG and backend.endswith("console.EmailBackend"):
        problems.append(
            Warning(
                "Email goes to the console while DEBUG is off: nobody will receive it.",
                hint="Set EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend "
                "and EMAIL_HOST.",
                id="mentorpact.W001",
            )
        )
    if not settings.SITE_ROOT.startswith(("http://", "https://")):
        problems.append(
            Error(
                f"SITE_ROOT must start with http:// or https://, not {settings.SITE_ROOT!r}.",
                id="mentorpact.E001",
            )
        )
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        problems.append(
            Warning(
                "Background tasks do not use the database backend: emails would be sent "
                "inside requests.",
                id="mentorpact.W002",
            )
        )
    return problems
