"""Forms parse what the coordinator chose; the services decide whether it may be saved."""

from django import forms

from mentorpact.lib import csvfile


class PairForm(forms.Form):
    mentor = forms.UUIDField(
        error_messages={"required": "Choose a mentor.", "invalid": "Choose a mentor from the list."}
    )
    mentee = forms.UUIDField(
        error_messages={"required": "Choose a mentee.", "invalid": "Choose a mentee from the list."}
    )


class PairingUploadForm(forms.Form):
    file = forms.FileField(
        label="Pairing CSV",
        help_text=(
            f"Columns mentor_email, mentee_email (a header row first). UTF-8, up to "
            f"{csvfile.MAX_ROWS:,} rows and {csvfile.MAX_BYTES // (1024 * 1024)} MB."
        ),
        error_messages={"required": "Choose a CSV file to upload."},
    )
