"""System checks for webhooks (stable ids webhooks.E00x)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register(deploy=True)
def check_loopback_refused(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """At deploy (`check --deploy`): deliveries to this machine are for the tests' receiver;
    in production they would let a coordinator's endpoint reach the server's own services."""
    if settings.WEBHOOK_ALLOW_LOOPBACK:
        return [
            Error(
                "WEBHOOK_ALLOW_LOOPBACK is on: webhook endpoints could reach this server's "
                "own services (127.0.0.1, ::1, localhost).",
                hint="Leave WEBHOOK_ALLOW_LOOPBACK unset in production; it is for tests.",
                id="webhooks.E001",
            )
        ]
    return []
