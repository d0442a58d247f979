"""iCalendar files: one meeting's .ics, and a person's feed of all their meetings.

Each meeting is one VEVENT whose UID never changes; rescheduling and cancelling bump its
SEQUENCE, and a cancelled meeting stays in the feed with STATUS:CANCELLED, so calendar
programs move or remove their copy instead of keeping a stale one. Start and end carry the
meeting's own time zone (TZID, with its VTIMEZONE from add_missing_timezones()).

The one-meeting file the partners are emailed is an iTIP message (RFC 5546): METHOD:PUBLISH
with the ORGANIZER while the meeting stands, and METHOD:CANCEL once it is cancelled (by a
partner, or because the partnership ended), with the ORGANIZER and both partners as ATTENDEE,
the same UID and the higher SEQUENCE: what Outlook, Google Calendar and Apple Calendar need
to delete their copy rather than show a second, "cancelled" one. The feed (PUBLISH, no
people: it syncs to third-party services) marks it STATUS:CANCELLED instead.

Calendars sync to third-party services, so an event says when, how and where, and links to
the meeting's page: never the agenda or topics, which stay between the partners.
"""

from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentorpact.lib.bounds import safe_add, safe_localtime
from mentorpact.meetings.models import Meeting

PRODID = "-//Mentorpact//Meetings//EN"
STATUS: dict[str, str] = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_ROOT).hostname or "mentorpact"
    return f"meeting-{meeting.public_id}@{host}"


def meeting_url(meeting: Meeting) -> str:
    path = reverse("meetings:detail", args=[meeting.partnership.public_id, meeting.public_id])
    return settings.SITE_ROOT + path


def _address(person) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.display_name
    return address


def _people(event: icalendar.Event, meeting: Meeting, *, attendees: bool) -> None:
    event.add("organizer", _address(meeting.organiser))
    if attendees:
        for person in (meeting.partnership.mentor, meeting.partnership.mentee):
            attendee = _address(person)
            attendee.params["ROLE"] = "REQ-PARTICIPANT"
            event.add("attendee", attendee)


def _event(meeting: Meeting) -> icalendar.Event:
    partnership = meeting.partnership
    zone = ZoneInfo(meeting.time_zone)
    starts = safe_localtime(meeting.starts_at, zone)
    # A held meeting always has held_minutes (the meeting_held_has_details constraint).
    minutes = (meeting.held_minutes if meeting.is_held else None) or meeting.duration_minutes
    url = meeting_url(meeting)
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at or timezone.now())
    event.add("sequence", meeting.sequence)
    event.add("status", STATUS[meeting.status])
    event.add(
        "summary",
        f"Mentoring: {partnership.mentor.display_name} & {partnership.mentee.display_name}",
    )
    event.add("dtstart", starts)
    event.add("dtend", safe_add(starts, timedelta(minutes=minutes)))
    if meeting.place:
        event.add("location", meeting.place)
    event.add("description", f"{meeting.mode_label}. The agenda and notes are on Mentorpact: {url}")
    event.add("url", url)
    return event


def _calendar(name: str, events: list[icalendar.Event], method: str = "PUBLISH") -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    """The file emailed to the partners: PUBLISH, or CANCEL for a cancelled meeting."""
    event = _event(meeting)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    _people(event, meeting, attendees=cancelled)
    method = "CANCEL" if cancelled else "PUBLISH"
    return _calendar("Mentoring meeting", [event], method)


def feed_ics(user, meetings, others: Sequence[icalendar.Event] = ()) -> bytes:
    """A person's feed: their meetings, and the entries the apps above add (`others`: their
    program events, meetings.signals.feed_entries)."""
    return _calendar(
        f"Mentoring meetings of {user.full_name}", [*(_event(m) for m in meetings), *others]
    )


def ics_filename(meeting: Meeting) -> str:
    day = safe_localtime(meeting.starts_at, ZoneInfo(meeting.time_zone)).date()
    return f"mentoring-meeting-{day.isoformat()}.ics"
