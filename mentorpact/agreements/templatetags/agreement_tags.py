from django import template

from mentorpact.lib.dates import in_zone

register = template.Library()


@register.filter
def local_time(moment, user) -> str:
    """A stored UTC moment in this person's time zone, with the zone's name."""
    return in_zone(moment, getattr(user, "time_zone", None))
