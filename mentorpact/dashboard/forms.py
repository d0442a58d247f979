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
            "mentor": [("", "Every mentor"), *selectors.mentors(program)],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
        if not program.kickoff_date:
            self.fields["cohort"].help_text = "The program has no kick-off date yet."

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
