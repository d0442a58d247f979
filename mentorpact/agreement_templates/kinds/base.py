"""The `Kind` every field kind subclasses, the registry, and the helpers kinds clean with."""

from __future__ import annotations

import contextlib
import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from mentorpact.lib import bounds

from .. import shape
from ..drawing import FieldView, FormContext, PrintField, text_of
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


@dataclass(frozen=True)
class PlanGoal:
    """One goal of a signed agreement, as it becomes an item of the mentee's action plan."""

    key: str  # the field it comes from
    label: str  # "Objective 2", "Short-term goal 1"
    goal: str
    measure: str = ""
    due_on: datetime.date | None = None
    horizon: str = ""


@dataclass(frozen=True)
class PlanCommitment:
    """One row of a signed agreement the pair commits to (done, or not yet)."""

    opportunity: str
    venue: str = ""


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

    def bounds(self, field: Field) -> tuple[int | None, int | None]:
        """(fewest, most) items a value of this field holds; (None, None): not a list."""
        return None, None

    # How it shows: on screen, `form` fills in the field's FieldView and `form_template` shows
    # it (inside _form.html's label, or fieldset and legend when `one_input` is False); on
    # paper, `print` fills in its PrintField and `print_template` shows it. A template is a
    # name, or a django.template.Template of a kind's own.

    form_template: ClassVar[Any] = "agreement_templates/kinds/input_form.html"
    print_template: ClassVar[Any] = "agreement_templates/kinds/textarea_print.html"
    input_type: ClassVar[str] = "text"  # the one input's type: text, textarea, number, date

    def form(self, form: FormContext, field: Field, view: FieldView, value: Any) -> None:
        """Add the field's inputs to `view`: by default one input of `input_type`."""
        view.controls = [
            form.control(
                view,
                label=field.label,
                value=text_of(value),
                type=self.input_type,
                maxlength=field.max_length,
                min=field.min,
                max=field.max,
                step=field.step,
                rows=6 if (field.max_length or 0) > 500 else 3,
                help_id=view.describedby,
                invalid=bool(view.errors),
            )
        ]

    def read_post(
        self, field: Field, data: Any, name: str, template: Template, party: str | None
    ) -> Any:
        """The submitted value, from the POST `data`, of the inputs `form` drew under `name`
        (`party` is who submits it; None: anyone)."""
        return data.get(name, "")

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        """Fill in `printed` for paper: its text, by default."""
        printed.text = "" if value in (None, "") else self.text(field, value)

    # What it means to the rest of Mentorpact.

    carried_over: ClassVar[bool] = True  # False: a continuation starts without it (accepted anew)

    def merge(self, previous: Any, cleaned: Any, role: str) -> Any:
        """The stored value after `role` submitted `cleaned` over `previous` (which it replaces,
        unless each signer gives their own part of it)."""
        return cleaned

    def empty_is_filled(self, field: Field, template: Template) -> bool:
        """Whether the field is complete with no value at all (nobody fills it in the draft).
        False, by default: a required field waits for its value."""
        return False

    def accepted_on_signing(self, field: Field, template: Template) -> tuple[str, ...]:
        """The signers who accept this field by signing rather than in the draft (an
        acknowledgement the coordinator or an invited signer accepts); their signing
        statement names it. None, by default."""
        return ()

    def plan_goals(self, field: Field, value: Any) -> list[PlanGoal]:
        """The goals a signed value gives the mentee's action plan (none, by default)."""
        return []

    def plan_commitments(self, field: Field, value: Any) -> list[PlanCommitment]:
        """The commitments a signed value gives the action plan (none, by default)."""
        return []

    def chosen_options(self, field: Field, value: Any) -> list[str]:
        """The option keys a value chose, in the template's order (kinds with options)."""
        return []


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


def iso_date(value: Any) -> datetime.date | None:
    """The date of a stored ISO date text; None for none (or anything else)."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def other_text(value: Any, add, path: str) -> Any:
    return clean_text(value, 200, add, path)


# ---------------------------------------------------------------------------------------------
# Reading a POST

_INDEX_RE = re.compile(r"(\d{1,7})(?:\.([a-z][a-z0-9_]*))?\Z")


def posted_items(data: Any, name: str, make: Callable[[dict[str | None, str]], Any]) -> list:
    """The items submitted as "<name>.<i>[.<part>]", each made from its {part or None: text}
    (an index never submitted gives an empty item)."""
    indexed: dict[int, dict[str | None, str]] = {}
    start = name + "."
    for key in data:
        if not key.startswith(start):
            continue
        match = _INDEX_RE.match(key[len(start) :])
        if match:
            indexed.setdefault(int(match.group(1)), {})[match.group(2)] = data.get(key)
    if not indexed:
        return []
    # Beyond the cap, hand over a list that validate_values refuses outright, instead of
    # building millions of empty rows from one "f.key.9999999".
    last = min(max(indexed), MAX_SUBMITTED_ITEMS)
    return [make(indexed.get(i, {})) for i in range(last + 1)]
