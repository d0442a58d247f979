from django import forms

from mentorpact.dashboard import selectors
from mentorpact.dashboard.selectors import Filters
from mentorpact.programs.models import Program


class FilterForm(forms.Form):
    """The dashboard's filters (GET): which pairs every figure, list and export is about."""

    cohort = forms.ChoiceField(label="Cohort", required=False)
    department = forms.ChoiceField(label="Department", required=False)
    mentor = forms.ChoiceField(label="Mentor", required=False)
    paired_from = forms.DateField(
        label="Paired from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    paired_to = forms.DateField(
        label="Paired until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        choices = {
            "cohort": [("", "All pairs"), *selectors.COHORTS.items()],
            "department": [("", "Every department")]
            + [(d, d) for d in selectors.departments(program)],
        }
        mentors = selectors.mentors(program)
        if mentors is None:
            # Too many to list (a select of 10,000 names took seconds to render): the
            # mentor's email instead, or a public id from a chart's link.
            self.fields["mentor"] = forms.CharField(
                label="Mentor",
                required=False,
                max_length=254,
                help_text="The mentor's email address.",
                widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
            )
        else:
            choices["mentor"] = [("", "Every mentor"), *mentors]
        self.program = program
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
        if not program.kickoff_date:
            self.fields["cohort"].help_text = "The program has no kick-off date yet."

    def clean_mentor(self) -> str:
        value = (self.cleaned_data.get("mentor") or "").strip()
        listed = isinstance(self.fields["mentor"], forms.ChoiceField)
        if value and not listed and not selectors.mentor_exists(self.program, value):
            raise forms.ValidationError("No mentor of this program has this email address.")
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("paired_from"), data.get("paired_to")
        if start and end and start > end:
            self.add_error("paired_to", "Choose a day on or after the “Paired from” day.")
        return data

    def filters(self) -> Filters:
        """The valid filters (an invalid field is left out, its error shown beside it)."""
        data = (
            self.cleaned_data
            if self.is_valid()
            else {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        )
        return Filters(
            cohort=data.get("cohort") or "",
            department=data.get("department") or "",
            mentor=data.get("mentor") or "",
            paired_from=data.get("paired_from"),
            paired_to=data.get("paired_to") if "paired_to" not in self.errors else None,
        )
