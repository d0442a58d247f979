"""What the form and the paper layout are built of, and the helpers a kind draws itself with.

A kind (kinds/<kind>.py) fills in the `FieldView` of its field in the form (its `Control`s, or
`Group`s of them for items and rows) and the `PrintField` on paper; its own templates
(templates/agreement_templates/kinds/<kind>_form.html and _print.html) show them. rendering.py
builds the whole form and print layout from these and dispatches to the kinds.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import Field, Template

ROLE_LABELS = {"mentor": "mentor", "mentee": "mentee", "coordinator": "coordinator"}


# ---------------------------------------------------------------------------------------------
# The screen form


@dataclass
class Control:
    """One input: `name` is what it submits as, `id` what its <label> and errors point at."""

    id: str
    name: str
    label: str = ""
    value: str = ""
    checked: bool = False
    locked: bool = False
    errors: list[str] = dataclasses.field(default_factory=list)
    type: str = "text"  # text | textarea | number | date | checkbox | radio | select
    maxlength: int | None = None
    min: int | None = None
    max: int | None = None
    step: int | None = None
    rows: int = 3
    choices: list[tuple[str, str]] = dataclasses.field(
        default_factory=list
    )  # select: (value, label)
    help_id: str = ""  # ids of other text describing it (a single field's help, note, errors)
    invalid: bool = False  # set when the errors shown for it are the field's own

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def describedby(self) -> str:
        ids = [self.help_id] if self.help_id else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def is_invalid(self) -> bool:
        return self.invalid or bool(self.errors)


@dataclass
class Group:
    """A numbered item of a list, goals or table field: its legend and its inputs."""

    legend: str
    controls: list[Control]
    errors: list[str] = dataclasses.field(default_factory=list)
    id: str = ""


@dataclass
class FieldView:
    field: Field
    id: str
    label: str
    help: str | None
    required: bool
    locked: bool
    note: str  # "Theo (mentee) fills this in", for the other party's fields
    errors: list[str]
    controls: list[Control] = dataclasses.field(
        default_factory=list
    )  # one input, options, or counts
    groups: list[Group] = dataclasses.field(default_factory=list)  # list items, goals, table rows
    other: Control | None = None  # the "other, specify" text
    statement: str | None = None
    unit: str | None = None
    # The label repeats its section's heading ("Confidentiality" under "Confidentiality"): it
    # stays for screen readers, and is not shown twice.
    label_is_heading: bool = False
    # Several inputs (or a set of options): a fieldset with a legend, not one label.
    is_group: bool = False
    template: Any = None  # the kind's form template (a name, or a django Template)

    @property
    def kind(self) -> str:
        return self.field.kind

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def help_id(self) -> str:
        return f"{self.id}-help" if self.help else ""

    @property
    def note_id(self) -> str:
        return f"{self.id}-note" if self.note else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error"

    @property
    def describedby(self) -> str:
        ids = [i for i in (self.help_id, self.note_id) if i]
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def all_errors(self) -> list[str]:
        out = list(self.errors)
        for control in self.controls + ([self.other] if self.other else []):
            out += control.errors
        for group in self.groups:
            out += group.errors
            for control in group.controls:
                out += control.errors
        return out

    @property
    def first_error_id(self) -> str:
        if self.errors:
            return self.id
        for control in self.controls + ([self.other] if self.other else []):
            if control.errors:
                return control.id
        for group in self.groups:
            if group.errors:
                return group.id
            for control in group.controls:
                if control.errors:
                    return control.id
        return self.id


def control_id(prefix: str, *parts: object) -> str:
    return "-".join([prefix, *(str(p) for p in parts)])


def control_name(prefix: str, *parts: object) -> str:
    return ".".join([prefix, *(str(p) for p in parts)])


def text_of(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return ""
    return str(value)


def person(role: str, names: dict[str, str], template: Template | None = None) -> str:
    """ "Theo (mentee)" when we know the name, "the mentee" otherwise: the role as the
    template names it ("Theo (student)")."""
    noun = template.role_noun(role) if template is not None else ROLE_LABELS.get(role, role)
    name = names.get(role)
    return f"{name} ({noun})" if name else f"the {noun}"


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def item_label(field: Field, index: int) -> str:
    noun = field.item_name or "item"
    return f"{noun[:1].upper()}{noun[1:]} {index + 1}"


def item_slots(count: int, low: int | None, high: int | None) -> int:
    """How many item slots a list, goals or table shows, without JavaScript: every slot up to
    a small maximum (3 objectives: 3 slots), otherwise one blank after the filled ones (and at
    least the minimum, or 3). Never fewer than the items given."""
    if high is not None and high <= 5:
        slots = high
    else:
        slots = max(low or 0, count + 1, 3)
        if high is not None:
            slots = min(slots, high)
    return max(slots, count)


def list_value(value: Any) -> list:
    return value if isinstance(value, list) else []


def dict_value(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def errors_at(errors: dict[str, list[str]], path: str) -> list[str]:
    return [str(message) for message in errors.get(path, [])]


def option_label(field: Field, key: str) -> str:
    """An option's label as the form and paper show it ("other": the field's other_label)."""
    label = field.other_label if key == "other" else None
    return label or next((o.label for o in field.options if o.key == key), key) or key


class FormContext:
    """What a kind draws its inputs with: the form's template, values, errors, party, names,
    whether it is all read-only, and `control(view, *path)` for one input of its field."""

    def __init__(
        self,
        template: Template,
        values: Any,
        errors: dict[str, list[str]] | None,
        party: str | None,
        names: dict[str, str] | None,
        disabled: bool,
        prefix: str,
    ) -> None:
        self.template = template
        self.values: dict[str, Any] = values if isinstance(values, dict) else {}
        self.errors = {str(k): list(v) for k, v in (errors or {}).items()}
        self.party = party
        self.names = names or {}
        self.disabled = disabled
        self.prefix = prefix

    def control(self, view: FieldView, *path: object, **kwargs: Any) -> Control:
        """One input of the field, named "<prefix>.<key>.<path>", with the errors at its path."""
        key_path = ".".join(str(p) for p in (view.key, *path))
        return Control(
            id=control_id(self.prefix, view.key, *path),
            name=control_name(self.prefix, view.key, *path),
            locked=view.locked,
            errors=errors_at(self.errors, key_path) if path else [],
            **kwargs,
        )

    def errors_at(self, path: str) -> list[str]:
        return errors_at(self.errors, path)


# ---------------------------------------------------------------------------------------------
# The print layout


@dataclass
class PrintItem:
    number: int
    text: str = ""  # list items
    parts: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # goals: (label, text)
    cells: list[str] = dataclasses.field(default_factory=list)  # table rows


@dataclass
class PrintOption:
    label: str
    checked: bool = False
    count: str = ""  # counts


@dataclass
class PrintField:
    field: Field
    label: str
    text: str  # text, textarea, person, number, date: the value as shown ("" when blank)
    items: list[PrintItem] = dataclasses.field(default_factory=list)
    options: list[PrintOption] = dataclasses.field(default_factory=list)
    other: str | None = None  # the "other" text; None when the field has no other option
    columns: list[str] = dataclasses.field(default_factory=list)
    accepted: list[tuple[str, bool]] = dataclasses.field(default_factory=list)  # acknowledgement
    # acknowledgement: the signers who accept it by signing (the coordinator, a guardian)
    accepted_on_signing: list[str] = dataclasses.field(default_factory=list)
    blank_lines: int = 0  # textarea: ruled lines when blank
    label_is_heading: bool = False  # the label repeats the section's heading: not printed twice
    template: Any = None  # the kind's print template (a name, or a django Template)

    @property
    def kind(self) -> str:
        return self.field.kind

    @property
    def table_rows(self) -> list[tuple[int, list[tuple[str, str]]]]:
        """A table's rows as (number, [(column label, cell)]): each cell carries its column's
        label, which a phone-width page shows beside it (the header row does not fit)."""
        return [
            (item.number, list(zip(self.columns, item.cells, strict=True))) for item in self.items
        ]


def date_text(value: Any) -> str:
    """'23 February 2027' for an ISO date; the text as given otherwise."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return text_of(value)
    return f"{day.day} {day:%B %Y}"


def print_count(count: int, low: int | None, high: int | None) -> int:
    """Lines a list gets on paper: its items, and blank lines up to its minimum; an empty list
    gets its minimum, else up to 3 blank lines (fewer if its maximum is lower)."""
    if count:
        return max(count, low or 0)
    if low:
        return low
    return min(high, 3) if high else 3
