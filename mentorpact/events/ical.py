"""An event's .ics (METHOD:PUBLISH), attached to the invitation email and downloadable."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse

from mentorpact.events import selectors
from mentorpact.events.models import ProgramEvent
from mentorpact.lib.bounds import safe_localtime


def event_entry(event: ProgramEvent) -> icalendar.Event:
    """The event as a calendar entry: in its own .ics and in each invitee's calendar feed
    (the same UID, so a calendar that has both keeps one)."""
    zone = ZoneInfo(event.time_zone)
    host = urlsplit(settings.SITE_ROOT).hostname or "mentorpact"
    item = icalendar.Event()
    item.add("uid", f"event-{event.public_id}@{host}")
    item.add("dtstamp", event.created_at)
    item.add("summary", f"{event.title} ({event.program.name})")
    item.add("dtstart", safe_localtime(event.starts_at, zone))
    item.add("dtend", safe_localtime(event.ends_at, zone))
    item.add("location", event.place)
    item.add("url", settings.SITE_ROOT + reverse("events:event", args=[event.public_id]))
    if event.description:
        item.add("description", event.description)
    return item


def event_ics(event: ProgramEvent) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mentorpact//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event_entry(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_entries(user) -> list[icalendar.Event]:
    """The program events this person is invited to and has not declined: their part of the
    person's calendar feed (meetings.signals.feed_entries, connected in events.apps)."""
    return [event_entry(invitation.event) for invitation in selectors.feed_invitations(user)]
