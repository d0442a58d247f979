from django import template

from mentorpact.lib.dates import in_zone

register = template.Library()


@register.filter
def in_zone_of(moment, user) -> str:
    """A stored UTC moment in this person's time zone, with the zone's name."""
    return in_zone(moment, getattr(user, "time_zone", None))


@register.filter
def owner_of(item, partnership) -> str:
    return item.owner_text(partnership)


@register.filter
def learning_of(review, role) -> str:
    return review.learning_of(role)
