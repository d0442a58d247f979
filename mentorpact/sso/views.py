from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from mentorpact.lib.http import AuthenticatedHttpRequest
from mentorpact.sso import oidc, selectors, services
from mentorpact.sso.forms import ProviderForm
from mentorpact.sso.models import Provider

NEXT = "sso.next"
# Reasons that say the provider (or its settings here) is at fault, not the sign-in.
UNREACHABLE = {"unreachable", "discovery"}

# --- Signing in ----------------------------------------------------------------------------


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _failed(
    request: HttpRequest, provider: Provider, failure: oidc.SignInFailed, email: str = ""
) -> HttpResponse:
    services.record_failed_sign_in(provider=provider, failure=failure, email=email)
    return render(
        request,
        "sso/failed.html",
        {"provider": provider, "problem": failure.message, "again": selectors.start_url(provider)},
        status=502 if failure.reason in UNREACHABLE else 400,
    )


@require_GET
def start(request: HttpRequest, provider_id: UUID) -> HttpResponse:
    """Anyone: off to the provider's sign-in, back to `callback`. GET is safe here: it
    writes only this session's state, nonce and PKCE verifier."""
    provider = selectors.get_enabled_provider(provider_id)
    request.session[NEXT] = _safe_next(request, request.GET.get("next", ""))
    redirect_uri = request.build_absolute_uri(
        reverse("sso:callback", kwargs={"provider_id": provider.public_id})
    )
    try:
        return oidc.authorize_redirect(request, provider, redirect_uri)
    except oidc.SignInFailed as failure:
        return _failed(request, provider, failure)


@require_GET
def callback(request: HttpRequest, provider_id: UUID) -> HttpResponse:
    """The provider sends the person back here: Authlib checks state, the code exchange
    with PKCE, the ID token; then the person is found (or their account linked)."""
    provider = selectors.get_enabled_provider(provider_id)
    try:
        claims = oidc.complete(request, provider)
    except oidc.SignInFailed as failure:
        return _failed(request, provider, failure)
    try:
        user = services.sign_in(provider=provider, claims=claims)
    except oidc.SignInFailed as failure:
        return _failed(request, provider, failure, email=str(claims.get("email") or ""))
    next_url = request.session.pop(NEXT, "")
    login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


# --- The site administrator's settings -------------------------------------------------------


@login_required
@require_GET
def providers(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = list(selectors.providers_for_admin(request.user))
    return render(request, "sso/providers.html", {"providers": rows})


def _values(form: ProviderForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


def _form_errors(form: ProviderForm, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)


@login_required
@require_http_methods(["GET", "POST"])
def new_provider(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_site_admin(request.user)
    form = ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.create_provider(actor=request.user, **_values(form))
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                f"{provider.name} is added. Register the redirect URI below with the provider.",
            )
            return redirect("sso:provider", provider_id=provider.public_id)
    return render(
        request,
        "sso/provider.html",
        {"form": form, "provider": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider(request: AuthenticatedHttpRequest, provider_id: UUID) -> HttpResponse:
    """A provider's settings, to view and edit; the redirect URI to register with it."""
    found = selectors.get_provider_for_admin(request.user, provider_id)
    form = ProviderForm(request.POST or None, provider=found)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_provider(
                provider=found,
                version=form.cleaned_data["version"] or 0,
                actor=request.user,
                **_values(form),
            )
        except ValidationError as error:
            _form_errors(form, error)
        except services.StaleEdit:
            stale = True
            # Keep what they typed; the next save is made against what is saved now, after
            # they were told (never silently over the other person's).
            data = request.POST.copy()
            data["version"] = str(Provider.objects.get(pk=found.pk).version)
            form = ProviderForm(data, provider=found)
            form.is_valid()
            form.add_error(
                None,
                "Someone else saved this provider after you opened this page. Your changes "
                "are still in the form: open the page again in another tab to see what they "
                "saved, then save yours if they should replace it.",
            )
        else:
            messages.success(
                request, "Saved." if changed else "Nothing changed: the settings are as they were."
            )
            return redirect("sso:provider", provider_id=found.public_id)
    return render(
        request,
        "sso/provider.html",
        {
            "form": form,
            "provider": found,
            "stale": stale,
            "redirect_uri": request.build_absolute_uri(
                reverse("sso:callback", kwargs={"provider_id": found.public_id})
            ),
        },
        status=(409 if stale else 400) if form.errors else 200,
    )
