"""An agreement's term: when it started, when it ends, and its midpoint (pure: no database).

The end comes from the agreement in effect, in this order: the number of months in the field
`rules.duration.months_field` (ASPE, WHPRMS), the date in `rules.duration.end_date_field`
(remote), the template's `suggested_months`, and last the partnership's planned end date as the
program recorded it. The term starts on the day the agreement came into effect. The midpoint
check falls halfway; a program switches it off with `midpoint_check: false` in its rules.
"""

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from mentorpact.agreement_templates.schema import Template


@dataclass(frozen=True)
class Term:
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    midpoint_on: datetime.date | None
    # How the end was found, for the page: "agreed months", "agreed end date", ...
    end_source: str = ""


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:  # a date stored before the bounds existed: the last day
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months(value: Any) -> int | None:
    try:
        months = int(value)
    except (TypeError, ValueError):
        return None
    return months if months > 0 else None


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def term_of(
    template: Template,
    content: dict[str, Any],
    *,
    starts_on: datetime.date | None,
    planned_end: datetime.date | None = None,
) -> Term:
    duration = template.rules.duration
    ends_on, source = None, ""
    if starts_on and duration and duration.months_field:
        months = _months(content.get(duration.months_field))
        if months:
            ends_on, source = add_months(starts_on, months), f"{months} months agreed"
    if ends_on is None and duration and duration.end_date_field:
        ends_on = _date(content.get(duration.end_date_field))
        source = "agreed end date" if ends_on else ""
    if ends_on is None and starts_on and duration and duration.suggested_months:
        ends_on = add_months(starts_on, duration.suggested_months)
        source = f"{duration.suggested_months} months suggested"
    if ends_on is None and planned_end:
        ends_on, source = planned_end, "the program's planned end"
    midpoint_on = None
    if starts_on and ends_on and ends_on > starts_on and template.rules.midpoint_check is not False:
        midpoint_on = starts_on + (ends_on - starts_on) / 2
    return Term(starts_on=starts_on, ends_on=ends_on, midpoint_on=midpoint_on, end_source=source)
