"""Showing a stored UTC moment in someone's own time zone, always with the zone's name."""

import calendar
import datetime as dt
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentorpact.lib.bounds import safe_localtime


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _zone_suffix(local: datetime, zone: ZoneInfo) -> str:
    abbreviation = local.strftime("%Z")
    if not abbreviation or abbreviation[0] in "+-":
        abbreviation = "UTC" + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    label = str(zone)
    return abbreviation if label in ("UTC", abbreviation) else f"{abbreviation} ({label})"


def in_zone(moment: datetime | None, zone_name: str | None) -> str:
    """'23 Feb 2027, 14:05 CET (Europe/Berlin)'; the UTC offset when there is no abbreviation."""
    if moment is None:
        return ""
    zone = zone_named(zone_name)
    local = safe_localtime(moment, zone)  # a stored year-9999 moment still shows
    return f"{local.day} {local:%b %Y, %H:%M} {_zone_suffix(local, zone)}"


def span_in_zone(start: datetime, end: datetime, zone_name: str | None) -> str:
    """'10 Dec 2026, 12:00–13:30 CST (America/Chicago)' when both ends fall on one local day
    and in one offset; otherwise both moments in full, 'A to B'."""
    zone = zone_named(zone_name)
    first, last = safe_localtime(start, zone), safe_localtime(end, zone)
    if first.date() == last.date() and first.utcoffset() == last.utcoffset():
        return f"{first.day} {first:%b %Y, %H:%M}–{last:%H:%M} {_zone_suffix(first, zone)}"
    return f"{in_zone(start, zone_name)} to {in_zone(end, zone_name)}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:  # a date stored before the bounds existed: the last day
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def long_date(day: dt.date) -> str:
    """A date as emails and messages write it: "2 June 2027"."""
    return f"{day.day} {day:%B %Y}"
