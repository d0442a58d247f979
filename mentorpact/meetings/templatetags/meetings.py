"""Showing meeting times to a reader: in their own time zone, with the zone's name, and in
the meeting's own zone too when that differs."""

from datetime import datetime

from django import template

from mentorpact.lib.dates import in_zone

register = template.Library()


@register.filter
def when_for(meeting, user) -> str:
    """'2 Dec 2026, 15:30 GMT (Europe/London)', then '; 2 Dec 2026, 09:30 CST
    (America/Chicago) where it was planned' when the meeting was planned in another zone."""
    return when_text(meeting.starts_at, meeting.time_zone, getattr(user, "time_zone", "UTC"))


def when_text(moment, meeting_zone: str, reader_zone: str) -> str:
    text = in_zone(moment, reader_zone)
    if meeting_zone and meeting_zone != reader_zone:
        text += f"; {in_zone(moment, meeting_zone)} where it was planned"
    return text


@register.filter
def parse_moment(text: str):
    """An ISO 8601 moment kept in an event's detail, back as a datetime (None if unreadable)."""
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
