"""Project-wide views: health check and friendly error pages (never a traceback)."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A bad request may be one whose Host header we refuse, so the page is plain HTML that
    # reads nothing from the request (no context processors, no reverse()).
    return HttpResponse(loader.render_to_string("errors/400.html"), status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's own CSRF page names Django and explains nothing useful to a mentee."""
    return HttpResponse(loader.render_to_string("errors/csrf.html"), status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(request, "errors/403.html", {"message": message}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # The 500 template is plain HTML with no context needs, so a failing context processor
    # or template tag cannot turn an error page into a second error.
    return render(request, "errors/500.html", status=500)
