from django import forms

from mentorpact.accounts.models import User


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To be sure it is you.",
    )
    understood = forms.BooleanField(
        label="I understand that my account is deleted for good and cannot be restored.",
        error_messages={"required": "Tick this to confirm you want your account deleted."},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            # Someone who signs in only through their institution (single sign-on) has no
            # password here: they confirm with their address, having just signed in.
            del self.fields["password"]
            self.fields["email"] = forms.EmailField(
                label="Your email address",
                help_text="You sign in through your institution: type your address to be sure.",
                widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            )
            self.order_fields(["email", "understood"])

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(
                "That is not your address. Type the email address you sign in with."
            )
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.has_usable_password() or not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Type the password you sign in with."
            )
        return password
