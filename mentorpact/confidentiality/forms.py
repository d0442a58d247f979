from django import forms

from mentorpact.confidentiality.models import MAX_TEXT_CHARS
from mentorpact.confidentiality.services import ConfidentialityError

TEXT = {"required": "Fill this in."}


def place_errors(form: forms.Form, error: ConfidentialityError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class ProposeForm(forms.Form):
    person = forms.CharField(
        label="Who the mentor may speak to", max_length=500, error_messages=TEXT
    )
    boundaries = forms.CharField(
        label="The boundaries of the discussion",
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT,
    )
    issue = forms.CharField(
        label="For which issue",
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT,
    )


class UseForm(forms.Form):
    used_on = forms.DateField(
        label="When",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date.", "invalid": "Give a date like 2026-11-23."},
    )
    to_whom = forms.CharField(label="To whom", max_length=500, error_messages=TEXT)
    note = forms.CharField(
        label="Note (only the two of you see it)",
        max_length=MAX_TEXT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DangerForm(forms.Form):
    disclosed_to = forms.CharField(
        label="To whom you are disclosing", max_length=500, error_messages=TEXT
    )
    reason = forms.CharField(
        label="Why: the evidence of serious danger or a crime",
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=TEXT,
    )
    mentee_told = forms.BooleanField(label="I have told the mentee", required=False)


class ToldForm(forms.Form):
    told_on = forms.DateField(
        label="When the mentee was told",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date.", "invalid": "Give a date like 2026-11-23."},
    )


class ContactForm(forms.Form):
    contact = forms.TypedChoiceField(
        label="Designated safeguarding contact",
        coerce=str,
        error_messages={"required": "Choose one of the program's coordinators."},
    )

    def __init__(self, *args, coordinators=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["contact"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Choose…")] + [
            (str(e.user.public_id), f"{e.user.full_name} ({e.user.email})") for e in coordinators
        ]
