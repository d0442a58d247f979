"""The `Kind` every field kind subclasses, the registry, and the helpers kinds clean with."""

from __future__ import annotations

import contextlib
import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from mentorpact.lib import bounds

from .. import shape
from ..shape import NUMBER_LIMIT

if TYPE_CHECKING:
    from ..schema import Field, Template

Add = Callable[[str, str], None]  # add(path within the value, message)

_NUMBER_RE = re.compile(r"[+-]?[0-9]{1,10}\Z")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_ALLOWED_CONTROLS = "\n\t\r"  # \r: browsers submit a textarea's line breaks as \r\n
MAX_SUBMITTED_ITEMS = 1000  # a list, goals or table value longer than this is refused outright


class _Empty:
    """The cleaner's "nothing here": the key is left out of the cleaned values."""


EMPTY: Any = _Empty()


class Kind:
    """One field kind. Subclass it in kinds/<name>.py and decorate the class with @register."""

    name: ClassVar[str]
    position: ClassVar[int]  # its place among the kinds (messages list them in this order)
    Attributes: ClassVar[type[shape.FieldBase]] = shape.FieldBase
    one_input: ClassVar[bool] = True  # one label and input; False: a fieldset of several

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        """The cleaned value, or EMPTY (nothing to keep), reporting problems with add()."""
        raise NotImplementedError

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        """Whether a cleaned value counts as filled in (a required field needs it to sign)."""
        if isinstance(value, str):
            return bool(value.strip())
        return True

    def missing(self, field: Field, value: Any, template: Template) -> str:
        """What to tell the person when a required field is not filled in."""
        return "Fill this in."

    def text(self, field: Field, value: Any) -> str:
        """A cleaned, non-empty value as plain text (lines separated by newlines)."""
        return str(value)

    # How it shows. The built-in kinds' form inputs and print layouts are still drawn by
    # rendering.py (its `_<kind>` builder methods and `_print_field`); a kind that overrides
    # these draws itself.

    def form(self, builder: Any, field: Field, view: Any, value: Any) -> None:
        """Add the field's inputs to `view` (a rendering.FieldView), with `builder`'s help
        (rendering._FormBuilder: its `_single` is one text, number or date input)."""
        getattr(builder, f"_{field.kind}", builder._single)(field, view, value)

    def read_post(self, field: Field, data: Any, name: str) -> Any:
        """The submitted value, from the POST `data`, of the inputs `form` drew under `name`."""
        return data.get(name, "")

    def print(self, printed: Any, field: Field, value: Any, template: Template) -> None:
        """Fill in `printed` (a rendering.PrintField) for paper: its text, by default."""
        printed.text = "" if value in (None, "") else self.text(field, value)


KINDS: dict[str, Kind] = {}  # by name, in position order


def register(cls: type[Kind]) -> type[Kind]:
    """Add a kind to the format: templates may use it from now on."""
    model = type(
        f"{cls.__name__}Attributes",
        (cls.Attributes,),
        {"kind_name": cls.name, "__module__": cls.__module__},
    )
    shape.add_kind(cls.name, model, position=cls.position)
    KINDS[cls.name] = cls()
    ordered = sorted(KINDS.items(), key=lambda item: item[1].position)
    KINDS.clear()
    KINDS.update(ordered)
    return cls


def unregister(name: str) -> None:
    """Take a kind out of the format again (for tests that register one of their own)."""
    del KINDS[name]
    shape.remove_kind(name)


def kind_of(field: Field) -> Kind:
    return KINDS[field.kind]


def date_text(value: Any) -> str:
    """'23 February 2027' for an ISO date; the text as given otherwise."""
    from ..rendering import date_text as render_date  # rendering needs the kinds loaded

    return render_date(value)


def option_label(field: Field, key: str, other_label: str | None = None) -> str:
    if key == "other":
        base = field.other_label or "Other"
        return f"{base}: {other_label}" if other_label else base
    return next((o.label for o in field.options if o.key == key), key)


# ---------------------------------------------------------------------------------------------
# Cleaning helpers: each returns the cleaned value, EMPTY for nothing, or None after reporting
# an error with add(path, message).


def clean_text(value: Any, max_length: int | None, add, path: str = "") -> Any:
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


def plural(noun: str, n: int) -> str:
    if n == 1:
        return noun
    if re.search(r"[^aeiou]y\Z", noun):
        return noun[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)\Z", noun):
        return noun + "es"
    return noun + "s"


def within_count(items: list, field: Field, high: int | None, add: Add) -> bool:
    """At most `high` items. The minimum is not checked here (a draft may be short of it):
    `incomplete` checks it before signing."""
    noun = field.item_name or "item"
    n = len(items)
    if high is not None and n > high:
        add("", f"Enter no more than {high} {plural(noun, high)} (you entered {n}).")
        return False
    return True


def sequence(value: Any, add) -> list | None:
    if value is None or value == []:
        return []
    if not isinstance(value, list):
        add("", "Expected a list.")
        return None
    if len(value) > MAX_SUBMITTED_ITEMS:
        add("", f"Enter no more than {MAX_SUBMITTED_ITEMS} entries.")
        return None
    return value


def blank(value: Any) -> bool:
    return value is EMPTY or (isinstance(value, str) and not value.strip())


def clean_integer(value: Any, add, path: str, low: int | None, high: int | None, step: int | None):
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


def clean_date(value: Any, add, path: str = ""):
    """An ISO date string, EMPTY for nothing, or None after reporting an error."""
    if value is None or value == "":
        return EMPTY
    day = None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        day = value
    elif isinstance(value, str) and _DATE_RE.match(value):
        with contextlib.suppress(ValueError):  # 2027-02-30: not a real date
            day = datetime.date.fromisoformat(value)
    if day is None:
        add(path, "Enter a real date, like 2027-02-23.")
        return None
    problem = bounds.date_problem(day)  # 1970 to 100 years ahead: what the readers survive
    if problem:
        add(path, problem)
        return None
    return day.isoformat()


def other_text(value: Any, add, path: str) -> Any:
    return clean_text(value, 200, add, path)
