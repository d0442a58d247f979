import datetime
import io
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from ruamel.yaml import YAML, YAMLError

from mentorpact.lib import bounds, csvfile
from mentorpact.office.people import MAX_CAPACITY, time_zones
from mentorpact.office.services import SETTINGS_FIELDS
from mentorpact.programs.models import Enrolment, Program

ROLE_CHOICES = [(Enrolment.Role.MENTEE, "Mentee"), (Enrolment.Role.MENTOR, "Mentor")] + [
    (Enrolment.Role.COORDINATOR, "Coordinator")
]


class ProgramForm(forms.Form):
    """A site administrator's new program and its first coordinator."""

    name = forms.CharField(label="Program name", max_length=200)
    coordinator_email = forms.EmailField(label="Coordinator's email", max_length=254)
    coordinator_name = forms.CharField(
        label="Coordinator's name",
        max_length=150,
        required=False,
        help_text="Needed when they have no account yet: they get an invitation by email.",
    )


def _plain(value):
    """YAML's dates as the ISO text the program's rules store (JSON has no dates)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(part) for key, part in value.items()}
    if isinstance(value, list):
        return [_plain(part) for part in value]
    return value


def rules_text(rules: dict) -> str:
    if not rules:
        return ""
    out = io.StringIO()
    YAML().dump(rules, out)  # block style, keys in the stored order
    return out.getvalue()


class SettingsForm(forms.ModelForm):
    """The program's settings; `rules` as YAML, checked against the template by the service."""

    rules = forms.CharField(
        label="Rule overrides (YAML)",
        required=False,
        strip=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocapitalize": "off"}),
        help_text="Optional. The template's rules this program changes, e.g. "
        "“min_contact: {times: 2, per: month}”. Leave empty to use the template's rules.",
    )

    class Meta:
        model = Program
        fields = [name for name in SETTINGS_FIELDS if name != "rules"]
        labels = {
            "contact_email": "Contact email",
            "contact_phone": "Contact phone",
            "return_address": "Return address for signed agreements",
            "kickoff_date": "Kick-off date",
            "agreement_due_date": "Signed agreements due",
        }
        widgets = {
            "kickoff_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agreement_due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kickoff_date", "agreement_due_date"):  # 1970 to 100 years ahead
            self.fields[name].validators.append(bounds.validate_date)
        if not self.is_bound:
            self.initial["rules"] = rules_text(self.instance.rules)

    def clean_rules(self):
        text = self.cleaned_data["rules"]
        if not text.strip():
            return {}
        try:
            value = YAML(typ="safe", pure=True).load(text)
        except YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark is not None else ""
            raise forms.ValidationError(f"This is not valid YAML{where}.") from None
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError("Write the overrides as “rule: value” lines.")
        return _plain(value)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "rules"]}


class CoordinatorForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=254)
    full_name = forms.CharField(
        label="Name",
        max_length=150,
        required=False,
        help_text="Needed when they have no account yet.",
    )


def time_zone_choices():
    return [("", "Not set (UTC)")] + [(zone, zone) for zone in sorted(time_zones())]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=254)
    full_name = forms.CharField(label="Name", max_length=150)
    role = forms.ChoiceField(label="Role", choices=ROLE_CHOICES)
    department = forms.CharField(label="Department", max_length=150, required=False)
    time_zone = forms.ChoiceField(label="Time zone", required=False, choices=time_zone_choices)
    capacity = forms.IntegerField(
        label="Mentees this mentor takes",
        required=False,
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text="Mentors only; 1 when left empty.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("capacity") and data.get("role") != Enrolment.Role.MENTOR:
            self.add_error("capacity", "Only mentors take mentees: leave this empty.")
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns email, name, role (mentor, mentee or coordinator), and optionally "
        f"department, time_zone, capacity. UTF-8, up to {csvfile.MAX_ROWS:,} rows and "
        f"{csvfile.MAX_BYTES // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class AcceptForm(SetPasswordForm):
    """Django's set-password form (its validators, two fields), labelled for a first password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "The same password again"
