"""Typed requests for views, so mypy knows what the middleware put on `request`.

django-stubs types `request.user` as `User | AnonymousUser`; behind `@login_required` it is
always a `User`, and django-htmx's middleware adds `request.htmx`. A view annotates its
request with the class that matches its decorators (see django-htmx's docs, "Type
checking").
"""

from typing import TYPE_CHECKING

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
