"""What a signed agreement's terms say, read from its rules and the values the pair filled
in (pure: no database). The meetings pages and the due items (progress.due) both ask here, so
a rule that takes its value from the pair's field means one thing everywhere."""

import datetime
from dataclasses import dataclass
from typing import Any

from .schema import Frequency, Template

# The longest gap each period allows ("once a month": 31 days), in days.
PERIOD_DAYS = {
    "day": 1,
    "week": 7,
    "fortnight": 14,
    "month": 31,
    "quarter": 92,
    "semester": 184,
    "year": 366,
}


@dataclass(frozen=True)
class AgreedContact:
    """The least contact in force: how often, and whether the pair's agreement says so."""

    frequency: Frequency
    agreed: bool  # read from a field the pair filled in (else the program's fixed rule)

    @property
    def gap(self) -> datetime.timedelta:
        """The longest time between contacts it allows ("twice a month": 15.5 days)."""
        f = self.frequency
        return datetime.timedelta(days=PERIOD_DAYS[f.per] * f.every / f.times)

    def words(self) -> str:
        """ "at least once a month", "at least twice every 3 weeks"."""
        f = self.frequency
        times = {1: "once", 2: "twice"}.get(f.times, f"{f.times} times")
        span = f"a {f.per}" if f.every == 1 else f"every {f.every} {f.per}s"
        return f"at least {times} {span}"


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def agreed_contact(template: Template, content: dict[str, Any]) -> AgreedContact | None:
    """The rule `min_contact` as this agreement holds it: the pair's choice among the
    `frequencies`, or their number of times (a counts field: its total) and "every N", each
    falling back on the program's fixed value when the field is empty; None without a rule
    or with nothing to go on."""
    contact = template.rules.min_contact
    if contact is None:
        return None
    if contact.frequency_field:
        value = content.get(contact.frequency_field)
        key = value.get("choice") if isinstance(value, dict) else value
        chosen = dict(contact.frequencies).get(key) if isinstance(key, str) else None
        if chosen is not None:
            return AgreedContact(chosen, agreed=True)
    agreed = False
    times = contact.times
    if contact.times_field:
        value = content.get(contact.times_field)
        if isinstance(value, dict):  # counts: {"phone": 2, "other_label": "Slack", ...}
            value = sum(_whole(v) or 0 for k, v in value.items() if k != "other_label")
        if _whole(value):
            times, agreed = _whole(value), True
    every = contact.every or 1
    if contact.every_field and _whole(content.get(contact.every_field)):
        every, agreed = _whole(content.get(contact.every_field)) or 1, True
    if not times or not contact.per:
        return None
    return AgreedContact(Frequency(times, contact.per, every), agreed=agreed)


def length_bounds(template: Template, content: dict[str, Any]) -> tuple[int | None, int | None]:
    """The least and most minutes a meeting lasts under the rule `meeting_length`: the pair's
    own numbers where they filled them in, else the program's (None: no bound)."""
    rule = template.rules.meeting_length
    if rule is None:
        return None, None
    low = _whole(content.get(rule.min_minutes_field)) if rule.min_minutes_field else None
    high = _whole(content.get(rule.max_minutes_field)) if rule.max_minutes_field else None
    return low or rule.min_minutes, high or rule.max_minutes


def length_warning(template: Template, content: dict[str, Any], minutes: int) -> str | None:
    """What to tell the partners when a meeting's length is outside the agreed bounds (they
    may record it anyway), or None when it is within them."""
    low, high = length_bounds(template, content)
    if low is not None and minutes < low:
        return (
            f"Your agreement says each meeting lasts at least {low} minutes; this one is "
            f"{minutes}. Change the length, or tick the box to keep it anyway."
        )
    if high is not None and minutes > high:
        return (
            f"Your agreement says each meeting lasts at most {high} minutes; this one is "
            f"{minutes}. Change the length, or tick the box to keep it anyway."
        )
    return None
