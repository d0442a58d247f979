"""An agreement's term: when it started, when it ends, and its midpoint (pure: no database).

The end comes from the agreement in effect, in this order: the number of months in the field
`rules.duration.months_field` (ASPE, WHPRMS; a choice of "3, 6 or 12 months" through
`months_choices`), the date in `rules.duration.end_date_field` (remote), the program's own end
(`end_date`, or `end_months_after_kickoff`), the template's `suggested_months`, and last the
partnership's planned end date as the program recorded it. The term starts on the day the
agreement came into effect. The midpoint check falls halfway; a program switches it off with
`midpoint_check: false` in its rules.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from mentorpact.agreement_templates.schema import Rules, Template
from mentorpact.lib.dates import add_months


@dataclass(frozen=True)
class Term:
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    midpoint_on: datetime.date | None
    # How the end was found, for the page: "agreed months", "agreed end date", ...
    end_source: str = ""


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
    kickoff: datetime.date | None = None,
) -> Term:
    duration = template.rules.duration
    ends_on, source = None, ""
    if starts_on and duration and duration.months_field:
        months = duration.months_in(content.get(duration.months_field))
        if months:
            ends_on, source = add_months(starts_on, months), f"{months} months agreed"
    if ends_on is None and duration and duration.end_date_field:
        ends_on = _date(content.get(duration.end_date_field))
        source = "agreed end date" if ends_on else ""
    if ends_on is None and duration:
        ends_on = duration.program_end(kickoff)
        source = "the program's end date" if ends_on else ""
    if ends_on is None and starts_on and duration and duration.suggested_months:
        ends_on = add_months(starts_on, duration.suggested_months)
        source = f"{duration.suggested_months} months suggested"
    if ends_on is None and planned_end:
        ends_on, source = planned_end, "the program's planned end"
    midpoint_on = None
    if starts_on and ends_on and ends_on > starts_on and template.rules.midpoint_check is not False:
        midpoint_on = starts_on + (ends_on - starts_on) / 2
    return Term(starts_on=starts_on, ends_on=ends_on, midpoint_on=midpoint_on, end_source=source)


def first_meeting_due_on(
    rules: Rules, *, paired_on: datetime.date, kickoff: datetime.date | None
) -> datetime.date | None:
    """The day the first meeting is due under `first_meeting_within_weeks`: that many weeks
    after the program's kick-off, or after pairing for a pair made later (RED: "schedule your
    initial meeting ... within 4 weeks of the kick-off meeting"); None without the rule."""
    weeks = rules.first_meeting_within_weeks
    if not weeks:
        return None
    start = max(paired_on, kickoff) if kickoff else paired_on
    return start + datetime.timedelta(weeks=weeks)
