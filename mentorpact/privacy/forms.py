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

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.has_usable_password() or not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Type the password you sign in with."
            )
        return password
