from django import forms

from mentorpact.support.models import MAX_MESSAGE_CHARS, HelpRequest
from mentorpact.support.services import SupportError


def place_errors(form: forms.Form, error: SupportError) -> None:
    """Show a refused change beside its field, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class AskForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you asking for?",
        choices=HelpRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are asking for."},
    )
    message = forms.CharField(
        label="Your message to the program's coordinators",
        help_text=(
            "Only the program's coordinators read it, here in Mentorpact; your partner does not."
        ),
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write a few words for the program."},
    )
    partner_may_know = forms.BooleanField(
        label="The program may tell my partner that I asked",
        required=False,
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a few words first."},
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose…"), *HelpRequest.Outcome.choices],
        error_messages={"required": "Choose the outcome."},
    )
