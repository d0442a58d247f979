"""Checking a filled-in agreement's values against its template (pure Python, no Django).

Values are a dict keyed by field key. The shape of each value by kind:

    text, textarea, person   "a string"
    list                     ["item", ...]
    goals                    [{"goal": str, "measure": str, "target_date": "YYYY-MM-DD",
                               "horizon": "short" | "long"  (only when the field has two horizons)}]
    number                   12 or "12"
    counts                   {"option_key": 2, ..., "other": 1, "other_label": "Slack"}
    choice                   "option_key"; a field with `other: true` takes (and cleans to)
                             {"choice": "option_key"} or {"choice": "other", "other_label": str}
    multichoice              ["option_key", ...]; with `other: true`:
                             {"choices": [...], "other_label": str}
    date                     "YYYY-MM-DD"
    table                    [{"column_key": str, ...}, ...]
    acknowledgement          {"mentor": true, "mentee": true}  (one entry per signer role)

`validate_values` cleans what it can and reports the rest; it does not require anything, because
drafts may be incomplete: a required field may be empty and a list may have fewer items than its
`min_items` (2 of 3 objectives is a draft worth saving). `incomplete` says what still has to be
done before signing, with a message per field; `missing_required` gives just the keys.

Given `today`, both check the agreed term against the rules' `duration` bounds
(`duration_problem`): the months in `months_field` between `min_months` and `max_months`, and
the date in `end_date_field` after today and that many months ahead (`incomplete` checks the
months even without `today`). A save gets the message beside the field and keeps what was
typed; signing is refused until it is mended.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from mentorpact.lib.dates import add_months, long_date

# Each kind cleans its own values (kinds/<kind>.py); this module runs them over a template.
from .kinds import kind_of
from .kinds.base import EMPTY, plural
from .schema import ROLES, Field, Template

NON_FIELD = "__all__"


def validate_values(
    template: Template,
    values: dict,
    *,
    party: str | None = None,
    today: datetime.date | None = None,
) -> tuple[dict, dict[str, list[str]]]:
    """Return (cleaned values, errors by key).

    Cleaned values hold only fields that were given and valid, with empty values left out.
    Error keys are field keys, or dotted paths into a value ("objectives.1", "goals.0.measure",
    "meeting_modes.phone"); NON_FIELD ("__all__") when `values` itself is not a dict.
    When `party` ("mentor" or "mentee") is given, values for the other party's fields are
    refused, as are acknowledgements on another signer's behalf.
    """
    if party is not None and party not in ROLES:
        raise ValueError(f"party must be one of {ROLES}, not {party!r}")
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    if not isinstance(values, dict):
        return cleaned, {NON_FIELD: ["Expected the agreement's values as a mapping."]}
    fields = {f.key: f for f in template.fields()}

    for key, value in values.items():
        key_text = str(key)
        field = fields.get(key) if isinstance(key, str) else None
        if field is None:
            errors.setdefault(key_text, []).append("This isn't part of this agreement.")
            continue
        if party is not None and field.party not in ("shared", party):
            errors.setdefault(key_text, []).append(f"Only the {field.party} fills this in.")
            continue

        def add(path: str, message: str, _key: str = key_text) -> None:
            errors.setdefault(f"{_key}.{path}" if path else _key, []).append(message)

        result = kind_of(field).clean(field, value, add, template, party)
        if result is EMPTY:
            continue
        problem = duration_problem(template, key, result, today=today) if today else None
        if problem:
            add("", problem)
        else:
            cleaned[key] = result
    return cleaned, errors


def duration_problem(
    template: Template, key: str, value: Any, *, today: datetime.date | None
) -> str | None:
    """What is wrong with the agreed term in field `key` under the rules' duration bounds, or
    None: the months agreed (`months_field`) within min_months..max_months; the end date
    (`end_date_field`), given `today`, after today and min_months..max_months ahead of it."""
    duration = template.rules.duration
    if duration is None:
        return None
    low, high = duration.min_months, duration.max_months
    months = duration.months_in(value) if key == duration.months_field else None
    if months is not None and ((low and months < low) or (high and months > high)):
        return f"The program asks for {_months_range(low, high)}."
    if key == duration.end_date_field and today is not None:
        try:
            end = datetime.date.fromisoformat(str(value))
        except ValueError:
            return None  # the date kind has said what is wrong
        earliest = add_months(today, low) if low else today + datetime.timedelta(days=1)
        latest = add_months(today, high) if high else None
        if end <= today:
            return "This date has passed: choose a date after today."
        if end < earliest or (latest and end > latest):
            span = (
                f"between {long_date(earliest)} and {long_date(latest)}"
                if latest
                else (f"on or after {long_date(earliest)}")
            )
            return f"The program asks for {_months_range(low, high)} ahead: choose a date {span}."
    return None


def _months_range(low: int | None, high: int | None) -> str:
    if low and high:
        return f"{low} to {high} months"
    if low:
        return f"at least {low} {plural('month', low)}"
    return f"at most {high} {plural('month', high or 0)}"


def incomplete(
    template: Template, values: dict, *, today: datetime.date | None = None
) -> dict[str, str]:
    """What stops signing, by field key in template order, with a message for the person:
    a required field still empty ("Fill this in."), a list, goals or table short of its
    minimum ("Add 3 objectives (2 so far)."; also when the field is optional but started), or
    a required acknowledgement some signer has not accepted yet."""
    cleaned, _ = validate_values(template, values)
    problems: dict[str, str] = {}
    for field in template.fields():
        value = cleaned.get(field.key)
        term = duration_problem(template, field.key, value, today=today) if value else None
        if term:
            problems[field.key] = term
            continue
        filled = _is_filled(field, value, template)
        low, high = kind_of(field).bounds(field)
        count = len(value) if filled and isinstance(value, list) else 0
        if low and count < low and (filled or field.required):
            problems[field.key] = _too_few(field, low, high, count)
        elif field.required and not filled:
            problems[field.key] = _missing_message(field, value, template)
    return problems


def missing_required(template: Template, values: dict) -> list[str]:
    """Keys of the fields that stop signing (see `incomplete`), in template order.

    A required acknowledgement is missing until every signer has accepted it.
    """
    return list(incomplete(template, values))


def _too_few(field: Field, low: int, high: int | None, count: int) -> str:
    noun = plural(field.item_name or "item", low)
    wanted = f"{low} {noun}" if high == low else f"at least {low} {noun}"
    return f"Add {wanted} ({count} so far)." if count else f"Add {wanted}."


def _missing_message(field: Field, value: Any, template: Template) -> str:
    return kind_of(field).missing(field, value, template)


def canonical_json(template: Template, values: dict) -> str:
    """The template and its values as one deterministic string (sorted keys, no spaces), for
    hashing a signed version: hash `canonical_json(...).encode("utf-8")`.

    The values are cleaned first, so equal agreements serialise equally however they were
    submitted ("12" or 12, options in any order). Raises ValueError on invalid values.
    """
    cleaned, errors = validate_values(template, values)
    if errors:
        raise ValueError(f"the values do not validate: {errors}")
    payload = {"template": template.to_dict(), "values": cleaned}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _is_filled(field: Field, value: Any, template: Template) -> bool:
    if value is None:
        # Nothing to fill in the draft can still be complete: an acknowledgement only signers
        # who do not edit the draft accept (they accept it by signing).
        return kind_of(field).empty_is_filled(field, template)
    return kind_of(field).is_filled(field, value, template)
