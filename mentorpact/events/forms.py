from typing import Any

from django import forms

from mentorpact.events.models import Invitation
from mentorpact.events.services import EventError
from mentorpact.meetings.forms import TIME_INPUT, WhenForm, local_moment


def place_errors(form: forms.Form, error: EventError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


class EventForm(WhenForm):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    end_time = forms.TimeField(label="Ends at", widget=TIME_INPUT)
    place = forms.CharField(
        label="Place or online link",
        max_length=500,
        help_text="A room, an address, or the video call's link.",
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=100000, required=False, help_text="Leave empty for no limit."
    )
    invited_roles = forms.MultipleChoiceField(
        label="Who is invited",
        choices=[("mentor", "Mentors"), ("mentee", "Mentees")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Invite mentors, mentees or both."},
    )
    required = forms.BooleanField(
        label="Attendance is required (a notice of absence is asked for)", required=False
    )

    field_order = ["title", "description", "date", "time", "end_time", "time_zone", "place"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, end, zone = data.get("date"), data.get("end_time"), data.get("time_zone")
        if "starts_at" in data and day and end and zone:
            try:
                data["ends_at"] = local_moment(day, end, zone)
            except ValueError:
                self.add_error("end_time", "That time does not exist that day: choose another.")
            else:
                if data["ends_at"] <= data["starts_at"]:
                    self.add_error("end_time", "It must end after it starts.")
        return data


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Will you come?",
        choices=Invitation.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, no or maybe."},
    )
    absence_reason = forms.CharField(
        label="Notice of absence: the reason",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a required event, say why you cannot come. The coordinators read it.",
    )


class AttendeesCsvForm(forms.Form):
    file = forms.FileField(
        label="Or a CSV of attendees (a column named email)",
        required=False,
    )
