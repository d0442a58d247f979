from django import forms

from mentorpact.sso.models import Provider


def _lines(text: str) -> list[str]:
    """Domains one a line (commas and spaces too), lower case, without a leading "@"."""
    seen: list[str] = []
    for word in text.replace(",", " ").split():
        domain = word.strip().lower().lstrip("@")
        if domain and domain not in seen:
            seen.append(domain)
    return seen


class ProviderForm(forms.Form):
    name = forms.CharField(
        label="Institution",
        max_length=100,
        help_text="As people know it: the sign-in page says “Sign in with <institution>”.",
    )
    issuer = forms.URLField(
        label="Issuer URL",
        max_length=500,
        assume_scheme="https",
        help_text="Exactly as your provider states it, such as "
        "https://login.uni.example/realms/staff. Saving checks its discovery document.",
    )
    client_id = forms.CharField(label="Client ID", max_length=255)
    secret_variable = forms.CharField(
        label="Environment variable holding the client secret",
        max_length=100,
        help_text="Mentorpact never stores or shows the secret: set it in this server's "
        "environment under this name (such as SSO_UNI_SECRET).",
    )
    domains = forms.CharField(
        label="Email domains",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, such as uni.example: people with these addresses may sign "
        "in with this provider.",
    )
    sso_only = forms.CharField(
        label="Domains that must sign in with this provider",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Of the domains above, one a line: password sign-in and password reset "
        "are refused for these addresses.",
    )
    enabled = forms.BooleanField(
        label="Offer this provider on the sign-in page", required=False, initial=True
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, provider: Provider | None = None, **kwargs):
        if provider is not None:
            domains = list(provider.domains.all())
            kwargs.setdefault(
                "initial",
                {
                    "name": provider.name,
                    "issuer": provider.issuer,
                    "client_id": provider.client_id,
                    "secret_variable": provider.secret_variable,
                    "domains": "\n".join(d.domain for d in domains),
                    "sso_only": "\n".join(d.domain for d in domains if d.sso_only),
                    "enabled": provider.enabled,
                    "version": provider.version,
                },
            )
        super().__init__(*args, **kwargs)

    def clean_secret_variable(self) -> str:
        return self.cleaned_data["secret_variable"].strip()

    def clean_domains(self) -> list[str]:
        return _lines(self.cleaned_data["domains"])

    def clean_sso_only(self) -> list[str]:
        return _lines(self.cleaned_data["sso_only"])
