"""Forms parse what people typed; the services decide whether it may be saved."""

from django import forms
from django.core.exceptions import ValidationError

from mentorpact.lib import bounds
from mentorpact.progress.models import ClosingReview, MidpointReview, PlanItem

LONG_TEXT = 5000


class PlanItemForm(forms.Form):
    status = forms.ChoiceField(choices=PlanItem.Status.choices)
    action_steps = forms.CharField(
        label="Action steps",
        help_text="One step a line.",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    measure = forms.CharField(
        label="How success is measured",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.ChoiceField(label="Owner", choices=PlanItem.Owner.choices)
    owner_name = forms.CharField(
        label="Owner's name",
        help_text="When someone else owns this goal.",
        required=False,
        max_length=200,
    )
    due_on = forms.DateField(
        label="Due date",
        required=False,
        validators=[bounds.validate_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    progress_note = forms.CharField(
        label="Progress so far",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_item(cls, item: PlanItem, data=None):
        initial = {
            "status": item.status,
            "action_steps": item.action_steps,
            "measure": item.measure,
            "owner": item.owner,
            "owner_name": item.owner_name,
            "due_on": item.due_on,
            "progress_note": item.progress_note,
            "version": item.version,
        }
        return cls(data, initial=initial, prefix=f"item-{item.public_id}")


class CommitmentForm(forms.Form):
    done = forms.BooleanField(required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class GoalRowsForm(forms.Form):
    """A form with a choice and a text field per goal (the midpoint and closing reviews)."""

    # (goal, its choice field, its text field), as templates/progress/includes/goal_rows.html
    # shows them.
    goal_rows: list[tuple[PlanItem, forms.BoundField, forms.BoundField]]


def _per_goal_fields(
    form: GoalRowsForm, items, choice_name: str, text_name: str, choices, labels, initial: dict
) -> None:
    """A choice and a text field for every goal, named "<choice_name>_<item public id>"."""
    for item in items:
        key = str(item.public_id)
        given = initial.get(key, {})
        form.fields[f"{choice_name}_{key}"] = forms.ChoiceField(
            label=labels[0],
            choices=[("", "Choose…"), *choices],
            initial=given.get(choice_name, ""),
            required=False,  # the service says which are missing, beside each goal
        )
        form.fields[f"{text_name}_{key}"] = forms.CharField(
            label=labels[1],
            required=False,
            max_length=LONG_TEXT,
            initial=given.get(text_name, ""),
            widget=forms.Textarea(attrs={"rows": 2}),
        )
    form.goal_rows = [
        (item, form[f"{choice_name}_{item.public_id}"], form[f"{text_name}_{item.public_id}"])
        for item in items
    ]


def per_goal_answers(form: GoalRowsForm, choice_name: str, text_name: str) -> dict:
    """{item public id: {choice_name: ..., text_name: ...}} from a valid form's data."""
    return {
        str(item.public_id): {
            choice_name: form.cleaned_data.get(f"{choice_name}_{item.public_id}", ""),
            text_name: form.cleaned_data.get(f"{text_name}_{item.public_id}", ""),
        }
        for item, _choice, _text in form.goal_rows
    }


class MidpointForm(GoalRowsForm):
    overall = forms.CharField(
        label="Overall, how is the partnership going?",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    change_course = forms.TypedChoiceField(
        label="Should we change course?",
        choices=[("no", "No: keep the goals as agreed"), ("yes", "Yes: amend the agreement")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )
    change_note = forms.CharField(
        label="What should change?",
        help_text="Yes drafts an amendment of the agreement for both of you to edit and sign.",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        _per_goal_fields(
            self,
            items,
            "assessment",
            "comment",
            MidpointReview.Assessment.choices,
            ("How is it going?", "Comment"),
            {},
        )

    def answers(self) -> dict:
        return per_goal_answers(self, "assessment", "comment")


class ClosingForm(GoalRowsForm):
    decision = forms.ChoiceField(
        label="What happens next?", choices=ClosingReview.Decision.choices, widget=forms.RadioSelect
    )
    learning = forms.CharField(
        label="Your learning conclusion",
        help_text="What you take away from this partnership. Your partner writes their own.",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    outside_intervention = forms.BooleanField(
        label="Ask the program's coordinator for outside intervention",
        help_text=(
            "Only when ending early. The coordinator is told that you ended early and asked "
            "for help, nothing you wrote here."
        ),
        required=False,
    )

    def __init__(self, *args, items=(), initial_outcomes=None, **kwargs):
        super().__init__(*args, **kwargs)
        _per_goal_fields(
            self,
            items,
            "outcome",
            "evidence",
            ClosingReview.Outcome.choices,
            ("Outcome", "Evidence"),
            initial_outcomes or {},
        )

    def outcomes(self) -> dict:
        return per_goal_answers(self, "outcome", "evidence")


class ConfirmClosingForm(ClosingForm):
    """The partner's confirmation: the same outcomes (adjustable) and their own conclusion."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["decision"]
        del self.fields["outside_intervention"]


class WithdrawClosingForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ThankYouForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(
        label="Message", max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 14})
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError beside the fields it names (or above the form)."""
    for key, messages in error.message_dict.items():
        form.add_error(key if key in form.fields else None, messages)
