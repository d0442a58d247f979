from typing import Any

from django import forms

from mentorpact.matching.questions import Intake, IntakeQuestion

TEXT_LIMIT = 2000


class QuestionsForm(forms.Form):
    source = forms.CharField(
        label="Questions (YAML)",
        required=False,
        max_length=100_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
    )


def _label(value: str) -> str:
    return value.replace("_", " ")


def _field(question: IntakeQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.label,
        "required": question.required,
        "help_text": question.help,
    }
    if question.kind == "text":
        if not question.shown_to_coordinator:
            common["help_text"] = (question.help + " " if question.help else "") + (
                "Only you see this answer."
            )
        else:
            common["help_text"] = (question.help + " " if question.help else "") + (
                "The program's coordinators see this answer."
            )
        return forms.CharField(
            max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if question.kind == "scale":
        choices = [(str(n), str(n)) for n in range(question.low, question.high + 1)]
        return forms.TypedChoiceField(
            choices=choices, coerce=int, widget=forms.RadioSelect, **common
        )
    choices = [(value, _label(value)) for value in question.choices]
    if question.kind == "choice":
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == "availability":
        common["help_text"] = (question.help + " " if question.help else "") + (
            "In your own time zone (your profile's)."
        )
    return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)


class ProfileForm(forms.Form):
    """The intake questions asked of one role, drawn from the program's YAML."""

    def __init__(self, *args: Any, intake: Intake, role: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for question in intake.asked_of(role):
            self.fields[question.key] = _field(question)


class RankingForm(forms.Form):
    def __init__(self, *args: Any, choices: list[tuple[str, str]], up_to: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for place in range(1, up_to + 1):
            self.fields[f"place_{place}"] = forms.ChoiceField(
                label=f"Choice {place}",
                choices=[("", "(none)"), *choices],
                required=False,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data[name] for name in self.fields if data.get(name)]
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError("Rank each mentor once.")
        data["ranking"] = chosen
        return data


class PairForm(forms.Form):
    mentor = forms.UUIDField()
    mentee = forms.UUIDField()
    action = forms.ChoiceField(
        choices=[("pinned", "Pin"), ("forbidden", "Forbid"), ("clear", "Clear")]
    )


class DeclineForm(forms.Form):
    mentee = forms.UUIDField()
    declined = forms.TypedChoiceField(
        choices=[("1", "Decline"), ("0", "Undo")], coerce=lambda v: v == "1"
    )
