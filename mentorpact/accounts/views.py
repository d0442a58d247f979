from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from mentorpact.accounts import selectors, services
from mentorpact.accounts.forms import AccessTokenForm, EmailChangeForm, ProfileForm
from mentorpact.lib.http import AuthenticatedHttpRequest


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view, plus: a new password ends any sign-in pause on the account.

    The pause message tells people to reset their password; without this they would set a
    new one and still be refused until the cool-off ran out.
    """

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        services.record_password_set(user=form.user, how="reset")  # pauses end, every client
        return response


class SignInView(auth_views.LoginView):
    """Django's sign-in, plus: a person who has not chosen a time zone yet gets the one their
    browser reports (static/js/time-zone.js fills the hidden field), at their first sign-in;
    and the other ways to sign in the layers above offer ("Sign in with <institution>")."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["other_ways"] = selectors.other_ways_to_sign_in(next_url=context.get("next") or "")
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        services.adopt_browser_time_zone(
            user=form.get_user(), time_zone=self.request.POST.get("browser_time_zone", "")[:64]
        )
        return response


def _profile_page(
    request: AuthenticatedHttpRequest,
    *,
    form: ProfileForm | None = None,
    email_form: EmailChangeForm | None = None,
    token_form: AccessTokenForm | None = None,
    new_token: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form or ProfileForm(user=request.user),
            "email_form": email_form or EmailChangeForm(user=request.user),
            "token_form": token_form or AccessTokenForm(),
            "tokens": selectors.live_tokens(request.user),
            "new_token": new_token,
        },
        status=status,
    )


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person's own name, preferred name, department and time zone."""
    if request.method == "GET":
        return _profile_page(request)
    form = ProfileForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.update_profile(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Profile saved.")
            return redirect("accounts:profile")
    return _profile_page(request, form=form, status=400)


@login_required
@require_POST
def email_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.request_email_change(user=request.user, new_email=form.cleaned_data["email"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"We sent a link to {form.cleaned_data['email']}. Your email address changes "
                "when you follow it.",
            )
            return redirect("accounts:profile")
    return _profile_page(request, email_form=form, status=400)


@login_required
@require_POST
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new personal access token, shown on the page this once (it is stored only hashed,
    and never put in the session or a message, which are stored too)."""
    form = AccessTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = services.create_access_token(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            response = _profile_page(request, new_token=raw)
            response["Cache-Control"] = "no-store"
            return response
    return _profile_page(request, token_form=form, status=400)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_id: UUID) -> HttpResponse:
    token = selectors.get_token_for_owner(request.user, token_id)
    services.revoke_access_token(user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("accounts:profile")


@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the new address: GET shows what it does, POST changes the address (a
    mail scanner that opens links changes nothing)."""
    try:
        user, new_email = services.read_email_change_token(token)
    except ValidationError as error:
        return render(request, "accounts/email_confirm.html", {"problem": error.messages[0]})
    if request.method == "POST":
        try:
            services.confirm_email_change(token=token)
        except ValidationError as error:
            return render(
                request, "accounts/email_confirm.html", {"problem": error.messages[0]}, status=400
            )
        messages.success(request, f"Your email address is now {new_email}.")
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/email_confirm.html", {"person": user, "new_email": new_email})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the current password, then the new one twice. Changing it ends every
    other session of the account (Django checks each session against the password's hash)
    and keeps this one signed in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_set(user=form.user, how="changed")
        messages.success(self.request, "Password changed. You were signed out everywhere else.")
        return response
