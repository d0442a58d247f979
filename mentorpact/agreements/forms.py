"""Forms for signing and verifying. The agreement's own fields come from its template
(agreement_templates.rendering), not from a Django form."""

from django import forms

# A signed agreement's PDF is tens to a few hundred KB (fonts subset, no images); 4 MB leaves
# room for the longest forms while keeping pyHanko's work per anonymous request bounded.
MAX_PDF_BYTES = 4 * 1024 * 1024


class SignForm(forms.Form):
    typed_name = forms.CharField(
        label="Type your full name to sign",
        max_length=150,
        strip=False,  # the service compares names; it normalises spacing itself
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    consent = forms.BooleanField(
        label="I agree to do business electronically, as described above.", required=False
    )
    # What was shown: the service refuses to sign if any of it changed since.
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    content_sha256 = forms.RegexField(regex=r"\A[0-9a-f]{64}\Z", widget=forms.HiddenInput)
    # The statement names each acknowledgement the signer accepts by signing: room for many.
    statement = forms.CharField(widget=forms.HiddenInput, max_length=10000, strip=False)


class NameSignerForm(forms.Form):
    """A partner names an extra signer the template declares (a parent or guardian)."""

    name = forms.CharField(label="Their full name", max_length=150)
    email = forms.EmailField(label="Their email address")


class VerifyForm(forms.Form):
    pdf = forms.FileField(label="The agreement PDF to check")

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(
                f"That file is {upload.size // (1024 * 1024)} MB; agreements are far smaller "
                f"(the limit is {MAX_PDF_BYTES // (1024 * 1024)} MB)."
            )
        return upload.read()
