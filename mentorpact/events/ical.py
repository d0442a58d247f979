"""An event's .ics (METHOD:PUBLISH), attached to the invitation email and downloadable."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse

from mentorpact.events.models import ProgramEvent
from mentorpact.lib.bounds import safe_localtime


def event_ics(event: ProgramEvent) -> bytes:
    zone = ZoneInfo(event.time_zone)
    host = urlsplit(settings.SITE_ROOT).hostname or "mentorpact"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mentorpact//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
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
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
