from django import template

from mentorpact.agreements import selectors
from mentorpact.lib.dates import in_zone

register = template.Library()


@register.filter
def local_time(moment, user) -> str:
    """A stored UTC moment in this person's time zone, with the zone's name."""
    return in_zone(moment, getattr(user, "time_zone", None))


@register.simple_tag
def agreement_summary(partnership, access):
    """What the partnership page says about the agreement (see _partnership_section.html)."""
    return selectors.agreement_summary(partnership, viewer_role=access.role)
