from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm

from mentorpact.accounts import selectors, services
from mentorpact.accounts.models import AccessToken, User
from mentorpact.lib import zones
from mentorpact.lib.http import client_address


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": "That email address and password do not match. Check both and try again.",
        "inactive": "This account is switched off. Contact your program coordinator.",
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            refusal = selectors.password_refusal(email)
            if refusal:
                # The backend refuses it too; asking it records the refused attempt.
                authenticate(self.request, username=email, password=password)
                raise forms.ValidationError(refusal, code="sso_only")
            client = client_address(self.request) if self.request is not None else None
            # The backend refuses a paused client itself; asking it anyway puts the refused
            # attempt in the audit trail (AUTHENTICATION_BACKENDS).
            self.user_cache = authenticate(self.request, username=email, password=password)
            minutes = (
                selectors.sign_in_paused_for(email=email, client=client)
                if self.user_cache is None
                else 0
            )
            if minutes:
                raise forms.ValidationError(
                    "Too many failed sign-in attempts from here. For your security, "
                    f"sign-in is paused for {minutes} minute{'s' if minutes != 1 else ''}; "
                    "try again then, or reset your password.",
                    code="throttled",
                )
            if self.user_cache is None:
                self._refuse_switched_off_account(email, password)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def _refuse_switched_off_account(self, email: str, password: str) -> None:
        """The backend refuses inactive accounts like wrong passwords; with the right password
        the person deserves to know why (it reveals nothing they could not already prove)."""
        user = User.objects.filter(email__iexact=email.strip(), is_active=False).first()
        if user is not None and user.check_password(password):
            raise forms.ValidationError(self.error_messages["inactive"], code="inactive")


class PasswordResetForm(DjangoPasswordResetForm):
    def clean_email(self) -> str:
        """An address whose institution requires its single sign-on has no password here to
        reset: say so beside the field (it names the domain's rule, not whether an account
        exists)."""
        email = self.cleaned_data["email"]
        refusal = selectors.password_refusal(email)
        if refusal:
            raise forms.ValidationError(refusal, code="sso_only")
        return email

    def save(self, *args, request=None, **kwargs) -> None:  # type: ignore[override]
        """Django's form would send the emails here, in the request; the service sends them
        from a task, throttled (accounts.services.request_password_reset)."""
        services.request_password_reset(
            email=self.cleaned_data["email"],
            client=client_address(request) if request is not None else None,
        )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    preferred_name = forms.CharField(
        label="Preferred name",
        max_length=150,
        required=False,
        help_text="What your mentor or mentee sees, if not your full name.",
    )
    department = forms.CharField(label="Department", max_length=150, required=False)
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Every date and time is shown to you in this zone.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    def __init__(self, *args, user: User, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "preferred_name": user.preferred_name,
                "department": user.department,
                "time_zone": user.time_zone,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = zones.zone_choices(current=user.time_zone)
        attrs = field.widget.attrs
        attrs["class"] = "zone-select"
        if not user.time_zone_chosen:
            # static/js/time-zone.js picks the browser's own zone until one is chosen.
            attrs["data-browser-zone"] = "preselect"


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label="New email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We send a link to it; your address changes when you follow the link.",
    )
    password = forms.CharField(
        label="Your current password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class AccessTokenForm(forms.Form):
    """A new personal access token for the REST API."""

    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What it is for, so you can tell your tokens apart (“HR sync”).",
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        help_text="Read: look things up. Read and write: also invite people.",
    )
