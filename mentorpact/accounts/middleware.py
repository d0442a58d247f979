import contextlib
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone


class TimeZoneMiddleware:
    """Show every time in the viewer's own zone: templates' `date` and `time` filters and
    `timezone.localtime()` use the signed-in person's `time_zone` for this request (UTC for
    anyone signed out). Stored times stay UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        timezone.deactivate()
        if user is not None and user.is_authenticated:
            # A zone the server no longer knows: UTC.
            with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
                timezone.activate(ZoneInfo(user.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
