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
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from typing import Any

from .schema import COUNT_MAX, NUMBER_LIMIT, ROLES, Field, Template

_NUMBER_RE = re.compile(r"[+-]?[0-9]{1,10}\Z")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ALLOWED_CONTROLS = "\n\t\r"  # \r: browsers submit a textarea's line breaks as \r\n
MAX_SUBMITTED_ITEMS = 1000  # a list, goals or table value longer than this is refused outright

NON_FIELD = "__all__"


class _Empty:
    """The cleaner's "nothing here": the key is left out of the cleaned values."""


EMPTY = _Empty()


def validate_values(
    template: Template, values: dict, *, party: str | None = None
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

        result = _CLEANERS[field.kind](field, value, add, template, party)
        if result is not EMPTY:
            cleaned[key] = result
    return cleaned, errors


def incomplete(template: Template, values: dict) -> dict[str, str]:
    """What stops signing, by field key in template order, with a message for the person:
    a required field still empty ("Fill this in."), a list, goals or table short of its
    minimum ("Add 3 objectives (2 so far)."; also when the field is optional but started), or
    a required acknowledgement some signer has not accepted yet."""
    cleaned, _ = validate_values(template, values)
    problems: dict[str, str] = {}
    for field in template.fields():
        value = cleaned.get(field.key)
        filled = _is_filled(field, value, template)
        low = field.min_rows if field.kind == "table" else field.min_items
        count = len(value) if filled and isinstance(value, list) else 0
        if low and count < low and (filled or field.required):
            problems[field.key] = _too_few(field, low, field.max_rows or field.max_items, count)
        elif field.required and not filled:
            problems[field.key] = _missing_message(field, value, template)
    return problems


def missing_required(template: Template, values: dict) -> list[str]:
    """Keys of the fields that stop signing (see `incomplete`), in template order.

    A required acknowledgement is missing until every signer has accepted it.
    """
    return list(incomplete(template, values))


def _too_few(field: Field, low: int, high: int | None, count: int) -> str:
    noun = _plural(field.item_name or "item", low)
    wanted = f"{low} {noun}" if high == low else f"at least {low} {noun}"
    return f"Add {wanted} ({count} so far)." if count else f"Add {wanted}."


def _missing_message(field: Field, value: Any, template: Template) -> str:
    if field.kind == "acknowledgement":
        waiting = [role for role in template.signers if not (value or {}).get(role)]
        return "Waiting for the " + " and the ".join(waiting) + " to accept this."
    if field.kind in ("choice", "multichoice"):
        return "Choose an option."
    return "Fill this in."


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


# ---------------------------------------------------------------------------------------------
# Cleaners: each takes (field, value, add, template, party) and returns the cleaned value or
# EMPTY, reporting problems with add(path_within_the_value, message).


def _text(value: Any, max_length: int | None, add, path: str = "") -> Any:
    """The text exactly as typed, EMPTY for nothing, or None after reporting an error."""
    if value is None or value == "":
        return EMPTY
    if not isinstance(value, str):
        add(path, "Enter text.")
        return None
    for ch in value:
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"):
            add(path, f"Remove the control character U+{ord(ch):04X}; it can't be saved.")
            return None
    if max_length is not None and len(value) > max_length:
        add(path, f"Enter at most {max_length} characters (you entered {len(value)}).")
        return None
    return value


def _clean_text(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    text = _text(value, field.max_length, add)
    return EMPTY if text is None else text


def _plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    if re.search(r"[^aeiou]y\Z", noun):
        return noun[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)\Z", noun):
        return noun + "es"
    return noun + "s"


def _count(items: list, field: Field, high: int | None, add) -> bool:
    """At most `high` items. The minimum is not checked here (a draft may be short of it):
    `incomplete` checks it before signing."""
    noun = field.item_name or "item"
    n = len(items)
    if high is not None and n > high:
        add("", f"Enter no more than {high} {_plural(noun, high)} (you entered {n}).")
        return False
    return True


def _sequence(value: Any, add) -> list | None:
    if value is None or value == []:
        return []
    if not isinstance(value, list):
        add("", "Expected a list.")
        return None
    if len(value) > MAX_SUBMITTED_ITEMS:
        add("", f"Enter no more than {MAX_SUBMITTED_ITEMS} entries.")
        return None
    return value


def _blank(value: Any) -> bool:
    return value is EMPTY or (isinstance(value, str) and not value.strip())


def _clean_list(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    items = _sequence(value, add)
    if items is None:
        return EMPTY
    cleaned, ok = [], True
    for i, item in enumerate(items):
        text = _text(item, field.max_length, add, str(i))
        if text is None:
            ok = False
        elif not _blank(text):
            cleaned.append(text)
    if not ok or not _count(cleaned, field, field.max_items, add):
        return EMPTY
    return cleaned or EMPTY


def _clean_goals(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    items = _sequence(value, add)
    if items is None:
        return EMPTY
    allowed = set(field.parts) | ({"horizon"} if field.horizons else set())
    cleaned, ok = [], True
    for i, item in enumerate(items):
        if item is None:
            continue
        if not isinstance(item, dict):
            add(str(i), "Expected a goal.")
            ok = False
            continue
        goal: dict[str, Any] = {}
        for name, part in item.items():
            path = f"{i}.{name}"
            if name not in allowed:
                add(path, "This isn't part of a goal here.")
                ok = False
            elif name == "horizon":
                if part in (None, ""):
                    continue
                if part not in field.horizons:
                    choices = " or ".join(f"{h}-term" for h in field.horizons)
                    add(path, f"Choose {choices}.")
                    ok = False
                elif len(field.horizons) > 1:
                    goal["horizon"] = part  # with one horizon, the field already says it
            elif name == "target_date":
                day = _date(part, add, path)
                if day is None:
                    ok = False
                elif day is not EMPTY:
                    goal[name] = day
            else:
                text = _text(part, field.max_length, add, path)
                if text is None:
                    ok = False
                elif not _blank(text):
                    goal[name] = text
        if set(goal) - {"horizon"}:
            if len(field.horizons) > 1 and "horizon" not in goal:
                choices = " or ".join(f"{h}-term" for h in field.horizons)
                add(f"{i}.horizon", f"Say whether this is a {choices} goal.")
                ok = False
            cleaned.append(goal)
    if not ok or not _count(cleaned, field, field.max_items, add):
        return EMPTY
    return cleaned or EMPTY


def _integer(value: Any, add, path: str, low: int | None, high: int | None, step: int | None):
    """An int, EMPTY for nothing, or None after reporting an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return EMPTY
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _NUMBER_RE.match(value.strip()):
        number = int(value.strip())
    floor = low if low is not None else -NUMBER_LIMIT
    ceiling = high if high is not None else NUMBER_LIMIT
    if number is None or not floor <= number <= ceiling:
        if low is not None and high is not None:
            add(path, f"Enter a whole number between {low} and {high}.")
        elif low is not None:
            add(path, f"Enter a whole number of at least {low}.")
        elif high is not None:
            add(path, f"Enter a whole number of at most {high}.")
        elif number is None:
            add(path, "Enter a whole number.")
        else:
            add(path, f"Enter a whole number between {-NUMBER_LIMIT} and {NUMBER_LIMIT}.")
        return None
    if step is not None and number % step:
        add(path, f"Enter a multiple of {step}.")
        return None
    return number


def _clean_number(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    number = _integer(value, add, "", field.min, field.max, field.step)
    return EMPTY if number is None else number


def _date(value: Any, add, path: str = ""):
    """An ISO date string, EMPTY for nothing, or None after reporting an error."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    add(path, "Enter a real date, like 2027-02-23.")
    return None


def _clean_date(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    day = _date(value, add)
    return EMPTY if day is None else day


def _other_text(value: Any, add, path: str) -> Any:
    return _text(value, 200, add, path)


def _clean_choice(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    if value is None or value == "":
        return EMPTY
    keys = field.option_keys()
    other_label: Any = EMPTY
    if field.other and isinstance(value, dict):
        unknown = set(value) - {"choice", "other_label"}
        if unknown:
            add("", "Choose one of the options.")
            return EMPTY
        other_label = _other_text(value.get("other_label"), add, "other_label")
        if other_label is None:
            return EMPTY
        value = value.get("choice")
        if value is None or value == "":
            return EMPTY
    if not isinstance(value, str) or value not in keys:
        add("", "Choose one of the options.")
        return EMPTY
    if not field.other:
        return value
    cleaned: dict[str, Any] = {"choice": value}
    if value == "other" and not _blank(other_label):
        cleaned["other_label"] = other_label
    return cleaned


def _clean_multichoice(field: Field, value: Any, add, template: Template, party: str | None):
    keys = field.option_keys()
    other_label: Any = EMPTY
    if field.other and isinstance(value, dict):
        if set(value) - {"choices", "other_label"}:
            add("", "Choose from the options.")
            return EMPTY
        other_label = _other_text(value.get("other_label"), add, "other_label")
        if other_label is None:
            return EMPTY
        value = value.get("choices")
    chosen = _sequence(value, add)
    if chosen is None:
        return EMPTY
    for item in chosen:
        if not isinstance(item, str) or item not in keys:
            add("", "Choose from the options.")
            return EMPTY
    ordered = [key for key in keys if key in chosen]  # template order: one canonical form
    if not ordered:
        return EMPTY
    if not field.other:
        return ordered
    cleaned: dict[str, Any] = {"choices": ordered}
    if "other" in ordered and not _blank(other_label):
        cleaned["other_label"] = other_label
    return cleaned


def _clean_counts(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    if value is None or value == {}:
        return EMPTY
    if not isinstance(value, dict):
        add("", "Expected a number for each option.")
        return EMPTY
    keys = field.option_keys()
    cleaned: dict[str, Any] = {}
    ok = True
    for name, count in value.items():
        if field.other and name == "other_label":
            text = _other_text(count, add, "other_label")
            if text is None:
                ok = False
            elif not _blank(text):
                cleaned["other_label"] = text
            continue
        if not isinstance(name, str) or name not in keys:
            add(str(name), "This isn't one of the options.")
            ok = False
            continue
        number = _integer(count, add, name, 0, field.max or COUNT_MAX, None)
        if number is None:
            ok = False
        elif number is not EMPTY and number > 0:
            cleaned[name] = number
    if not ok:
        return EMPTY
    return cleaned or EMPTY


def _clean_table(field: Field, value: Any, add, template: Template, party: str | None) -> Any:
    rows = _sequence(value, add)
    if rows is None:
        return EMPTY
    columns = {column.key: column for column in field.columns}
    cleaned, ok = [], True
    for i, row in enumerate(rows):
        if row is None:
            continue
        if not isinstance(row, dict):
            add(str(i), "Expected a row.")
            ok = False
            continue
        out: dict[str, Any] = {}
        for name, cell in row.items():
            path = f"{i}.{name}"
            column = columns.get(name) if isinstance(name, str) else None
            if column is None:
                add(path, "This isn't a column of this table.")
                ok = False
                continue
            if column.kind == "date":
                result = _date(cell, add, path)
                if result is None:
                    ok = False
                    continue
            else:
                result = _text(cell, column.max_length, add, path)
                if result is None:
                    ok = False
                    continue
            if not _blank(result):
                out[name] = result
        if out:
            cleaned.append(out)
    if not ok or not _count(cleaned, field, field.max_rows, add):
        return EMPTY
    return cleaned or EMPTY


def _clean_acknowledgement(
    field: Field, value: Any, add, template: Template, party: str | None
) -> Any:
    if value is None or value == {}:
        return EMPTY
    if not isinstance(value, dict):
        add("", "Expected each signer's acceptance.")
        return EMPTY
    cleaned: dict[str, bool] = {}
    ok = True
    for role, accepted in value.items():
        if not isinstance(role, str) or role not in template.signers:
            add(str(role), "Only the agreement's signers accept this.")
            ok = False
        elif party is not None and role != party:
            add(role, f"Only the {role} can accept this.")
            ok = False
        elif not isinstance(accepted, bool):
            add(role, "Expected yes or no.")
            ok = False
        elif accepted:
            cleaned[role] = True
    if not ok:
        return EMPTY
    return cleaned or EMPTY


_CLEANERS = {
    "text": _clean_text,
    "textarea": _clean_text,
    "person": _clean_text,
    "list": _clean_list,
    "goals": _clean_goals,
    "number": _clean_number,
    "counts": _clean_counts,
    "choice": _clean_choice,
    "multichoice": _clean_multichoice,
    "date": _clean_date,
    "table": _clean_table,
    "acknowledgement": _clean_acknowledgement,
}


def _is_filled(field: Field, value: Any, template: Template) -> bool:
    if value is None:
        return False
    if field.kind == "acknowledgement":
        return all(value.get(role) is True for role in template.signers)
    if isinstance(value, str):
        return bool(value.strip())
    if field.kind == "list":
        return any(item.strip() for item in value)
    if field.kind == "goals":
        return any(goal.get("goal", "").strip() for goal in value)
    if field.kind == "table":
        return any(not _blank(cell) for row in value for cell in row.values())
    if field.kind == "counts":
        return any(isinstance(n, int) and n > 0 for name, n in value.items())
    if field.kind == "choice":  # {"choice": ...} with other: true
        return value["choice"] != "other" or bool(value.get("other_label", "").strip())
    if field.kind == "multichoice" and isinstance(value, dict):
        return bool(value["choices"])
    return True  # numbers, dates, non-empty option lists
