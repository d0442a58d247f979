from django import forms

from mentorpact.evaluations import form as evaluation_form
from mentorpact.evaluations.services import EvaluationError


class SourceForm(forms.Form):
    source = forms.CharField(
        label="The evaluation form (YAML)",
        max_length=evaluation_form.MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}),
        help_text="Its questions (scale 1-5, choice, text) and when they are asked.",
        error_messages={"required": "Write the form: start from the example."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def place_errors(form: forms.Form, error: EvaluationError) -> None:
    field = error.field if error.field in form.fields else None
    for message in error.errors:
        form.add_error(field, message)


class AnswerForm(forms.Form):
    """The evaluation's questions as fields, keyed by each question's key."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, questions: tuple[evaluation_form.Question, ...], *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            if question.kind == "text":
                field: forms.Field = forms.CharField(
                    max_length=evaluation_form.TEXT_LIMIT,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={"required": "Write an answer."},
                )
            else:
                field = forms.ChoiceField(
                    choices=question.choices,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": "Choose an answer.",
                        "invalid_choice": "Choose one of the answers offered.",
                    },
                )
            field.label = question.label
            field.help_text = question.help
            field.required = question.required
            self.fields[f"q_{question.key}"] = field

    def answers(self) -> dict[str, str]:
        return {
            name[2:]: str(value or "")
            for name, value in self.cleaned_data.items()
            if name.startswith("q_")
        }
