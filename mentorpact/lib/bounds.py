"""The range of dates and times Mentorpact accepts, and readers that survive any stored value.

A date a person types is accepted from 1 January 1970 to the end of the year 100 years from
now (a form may ask for less). Anything outside that is refused beside the field, because the
readers downstream (calendar files, feeds, PDFs, time-zone conversion) overflow near year 9999.
Values stored before these bounds existed are still shown: `safe_add` and `safe_localtime`
never raise.
"""

from datetime import date, datetime, timedelta, tzinfo

from django.utils import timezone

EARLIEST = date(1970, 1, 1)
YEARS_AHEAD = 100


def latest() -> date:
    return date(timezone.localdate().year + YEARS_AHEAD, 12, 31)


def date_problem(day: date) -> str | None:
    """What is wrong with `day` for a person to have typed it, or None."""
    if day < EARLIEST:
        return f"Enter a date from {EARLIEST:%-d %B %Y} on."
    if day > latest():
        return f"Enter a date before the end of {latest().year}."
    return None


def validate_date(day: date) -> None:
    """A form field validator: `validators=[bounds.validate_date]`."""
    from django.core.exceptions import ValidationError

    problem = date_problem(day)
    if problem:
        raise ValidationError(problem, code="out_of_range")


def safe_add(moment: datetime, delta: timedelta) -> datetime:
    """moment + delta, or the last representable moment when that overflows."""
    try:
        return moment + delta
    except OverflowError:
        return datetime.max.replace(tzinfo=moment.tzinfo)


def safe_localtime(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` in `zone`; in UTC when the conversion would leave the representable range."""
    try:
        return timezone.localtime(moment, zone)
    except (OverflowError, ValueError):
        return moment
