from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.privacy import export, selectors, services
from mentorpact.privacy.forms import DeleteAccountForm


def _page(request: AuthenticatedHttpRequest, form: DeleteAccountForm, status: int = 200):
    return render(
        request,
        "privacy/my_data.html",
        {
            "form": form,
            "blockers": selectors.deletion_blockers(request.user),
            "partnerships": selectors.partnerships_of(request.user),
        },
        status=status,
    )


@login_required
@require_GET
def my_data(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, DeleteAccountForm(user=request.user))


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    data = export.build_export(request.user, now=now)
    services.record_export(user=request.user, now=now)
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(request.user, now)}"'
    return response


@login_required
@require_http_methods(["POST"])
def delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        services.delete_account(user=request.user)
    except services.DeletionRefused:
        return _page(request, form, status=409)  # the page lists what stands in the way
    logout(request)
    return redirect("privacy:deleted")


@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/deleted.html")
