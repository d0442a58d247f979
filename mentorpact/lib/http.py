"""Typed requests for views, so mypy knows what the middleware put on `request`.

django-stubs types `request.user` as `User | AnonymousUser`; behind `@login_required` it is
always a `User`, and django-htmx's middleware adds `request.htmx`. A view annotates its
request with the class that matches its decorators (see django-htmx's docs, "Type
checking").
"""

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    # For the annotation only: lib imports no app at run time.
    from mentorpact.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    """A request of any visitor, signed in or not."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request that `@login_required` let through: `user` is a signed-in `User`."""

    user: "User"


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str | None:
    """The address of the client that sent `request`.

    REMOTE_ADDR, unless it is one of TRUSTED_PROXIES: then X-Forwarded-For is read from the
    right, skipping trusted proxies, and the first address that is not one of them is the
    client (what is further left was written by the client and proves nothing). Without
    trusted proxies configured, X-Forwarded-For is ignored: anyone can send it.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or not settings.TRUSTED_PROXIES or not _trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not _trusted(address):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote  # a malformed header: the proxy's own address
    return remote
