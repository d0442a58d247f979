from django import forms

from mentorpact.webhooks.models import Event


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="Endpoint address",
        max_length=500,
        assume_scheme="https",
        help_text="An https:// address of your system that receives the events.",
    )
    events = forms.MultipleChoiceField(
        label="Events it receives",
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )
