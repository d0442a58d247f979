"""Forms parse what the coordinator chose; the services decide whether it may be saved."""

from django import forms


class PairForm(forms.Form):
    mentor = forms.UUIDField(
        error_messages={"required": "Choose a mentor.", "invalid": "Choose a mentor from the list."}
    )
    mentee = forms.UUIDField(
        error_messages={"required": "Choose a mentee.", "invalid": "Choose a mentee from the list."}
    )
