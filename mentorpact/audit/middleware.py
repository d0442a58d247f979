"""Where each request comes from, and the refusals it met, for the audit trail.

A 403 or 404 raised by a view (the access selectors raise them on a view's first line) is
recorded as `access.denied`, with the view's name and the public ids in its URL (never a
string argument: the calendar feed's URL carries its secret token).
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentorpact.audit import context, services


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.set_client_ip(context.request_ip(request))
        try:
            return self.get_response(request)
        finally:
            context.reset_client_ip(token)

    def process_exception(self, request, exception):
        if not isinstance(exception, (Http404, PermissionDenied)):
            return None
        match = request.resolver_match
        ids = {
            key: str(value)
            for key, value in (match.kwargs if match else {}).items()
            if isinstance(value, (uuid.UUID, int))
        }
        user = getattr(request, "user", None)
        services.record(
            "access.denied",
            actor=user if user is not None and user.is_authenticated else None,
            status=404 if isinstance(exception, Http404) else 403,
            method=request.method,
            view=match.view_name if match else "",
            ids=ids,
        )
        return None  # Django answers with its usual 403 or 404 page
