"""Forms for meetings, notes and feedback. They parse what was typed; the services decide."""

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from mentorpact.lib import bounds
from mentorpact.meetings.models import Note
from mentorpact.meetings.services import MAX_MINUTES, MAX_NOTE_CHARS, MeetingError, time_zone_names

DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def local_moment(day: date, at: time, zone_name: str) -> datetime:
    """The moment a wall-clock time names in a zone, as UTC; ValueError for a time the clocks
    skip (02:30 on the night they go forward). A time that happens twice (the night they go
    back) means the first of the two."""
    zone = ZoneInfo(zone_name)
    moment = datetime.combine(day, at, tzinfo=zone)
    back = moment.astimezone(UTC).astimezone(zone)
    if (back.date(), back.time()) != (day, at):
        raise ValueError(f"{at:%H:%M} does not exist on {day.day} {day:%B %Y} in {zone_name}")
    return moment.astimezone(UTC)


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


ACCEPT_LENGTH_LABEL = "Keep this length anyway, outside what our agreement says"


def place_errors(form: forms.Form, error: MeetingError) -> None:
    """Show a refused change beside its field, or above the form. A length outside the
    agreement's bounds also shows the box that accepts it (hidden until then)."""
    field = error.field if error.field in form.fields else None
    if error.code == "length" and "accept_length" in form.fields:
        accept = form.fields["accept_length"]
        accept.widget = forms.CheckboxInput()
        accept.label = ACCEPT_LENGTH_LABEL
    form.add_error(field, error.message)


def _accept_length_field() -> forms.BooleanField:
    """The partner's explicit "keep it anyway" for a length outside the agreed bounds: hidden
    until the service has warned about the length (place_errors shows it)."""
    return forms.BooleanField(required=False, widget=forms.HiddenInput, label=ACCEPT_LENGTH_LABEL)


WHEN_FIELDS = ("date", "time", "time_zone")


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    """The choices of the form's ChoiceField `name`, known only when the form is made."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), f"{name} is a ChoiceField"
    field.choices = choices


def _offer_modes(form: forms.Form, modes: list[tuple[str, str]]) -> None:
    """The agreement's meeting modes as the choices of the form's `mode` field."""
    _set_choices(form, "mode", modes)


class PageForm(forms.Form):
    """A form rendered by templates/meetings/includes/form.html: the when-fields (if any) in
    one row, then every other visible field in order."""

    def has_when(self) -> bool:
        return "time_zone" in self.fields

    def other_fields(self):
        return [field for field in self.visible_fields() if field.name not in WHEN_FIELDS]


class WhenForm(PageForm):
    """A date and a time of day in a named time zone, cleaned into `starts_at` (UTC)."""

    date = forms.DateField(widget=DATE_INPUT)
    time = forms.TimeField(widget=TIME_INPUT)
    time_zone = forms.ChoiceField(label="Time zone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "time_zone", zone_choices())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, at, zone = data.get("date"), data.get("time"), data.get("time_zone")
        problem = bounds.date_problem(day) if day else None
        if problem:
            self.add_error("date", problem)
        elif day and at and zone:
            try:
                data["starts_at"] = local_moment(day, at, zone)
            except ValueError:
                self.add_error(
                    "time",
                    f"There is no {at:%H:%M} on {day.day} {day:%B %Y} in {zone}: the clocks go "
                    "forward that night. Choose another time.",
                )
        return data


def _mode_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="How you meet")


def _minutes_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_MINUTES)


class MeetingForm(WhenForm):
    duration_minutes = _minutes_field("Length (minutes)")
    accept_length = _accept_length_field()
    mode = _mode_field()
    place = forms.CharField(
        label="Place or link",
        max_length=500,
        required=False,
        help_text="A room, an address, or the video call's link.",
    )
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text="Only the two of you see it.",
    )

    def __init__(self, *args, modes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        _offer_modes(self, modes)


class _Versioned(PageForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RescheduleForm(_Versioned, WhenForm):
    duration_minutes = _minutes_field("Length (minutes)")
    accept_length = _accept_length_field()
    place = forms.CharField(label="Place or link", max_length=500, required=False)
    reason = forms.CharField(
        label="Why it moves",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Your partner sees this; the program does not.",
    )


class CancelForm(_Versioned):
    reason = forms.CharField(
        label="Why it is cancelled",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Your partner sees this; the program does not.",
    )


class PastMeetingForm(WhenForm):
    """One short form for a meeting held off the platform, recorded afterwards."""

    held_minutes = _minutes_field("How long it took (minutes)")
    accept_length = _accept_length_field()
    mode = _mode_field()
    topics = forms.CharField(
        label="What you talked about",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text="Optional. Only the two of you see it.",
    )

    def __init__(self, *args, modes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        _offer_modes(self, modes)
        self.fields["date"].label = "Date it took place"
        self.fields["time"].label = "Time it started"


class HeldForm(_Versioned, PastMeetingForm):
    """A scheduled meeting recorded as held: the same questions, starting from the plan."""


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_NOTE_CHARS
    )
    visibility = forms.ChoiceField(
        label="Who sees it",
        choices=Note.Visibility.choices,
        initial=Note.Visibility.PRIVATE,
        widget=forms.RadioSelect,
    )


class EditNoteForm(_Versioned, NoteForm):
    pass


class FeedbackForm(forms.Form):
    shared_with_partner = forms.BooleanField(
        label="Let my partner see my answers",
        required=False,
        help_text="The program never sees them.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, questions: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        answers = {
            f"answer_{i}": forms.CharField(
                label=f"{i + 1}. {question}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )
            for i, question in enumerate(questions)
        }
        # The questions first, the sharing choice after them.
        self.fields = {**answers, **self.fields}
        self.questions = questions

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(len(self.questions))]

    def answer_fields(self):
        return [self[f"answer_{i}"] for i in range(len(self.questions))]
