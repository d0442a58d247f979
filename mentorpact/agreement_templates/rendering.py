"""Agreement forms rendered from their template: the screen form, what a POST of it means, and
the print (PDF) layout.

The screen form, inside any page's own <form>:

    agreement_form = rendering.build_form(template, values, errors, party="mentee",
                                          names={"mentor": "Mia", "mentee": "Theo"})
    {% include "agreement_templates/_form.html" with form=agreement_form %}

and back again: `values = rendering.parse_post(template, request.POST, party="mentee")` gives
the values dict that values.validate_values expects, with every field this party may fill in
(an empty one as empty, so clearing a field clears it) and nothing of the other party's.
`errors` is what validate_values (and values.incomplete) returned, keyed by field key or by a
path into a value ("objectives.1", "meeting_modes.phone"): each message is shown beside the
input it belongs to. After an error, pass the parsed POST back as `values` so the typed text
stays.

The print layout (a tidy version of the paper form):

    agreement_print = rendering.build_print(template, values, signatures=...)
    {% include "agreement_templates/_print.html" with doc=agreement_print %}

`print_pdf(agreement_print)` renders it as a PDF with WeasyPrint; `print_css()` is the print
layout's stylesheet text for a PDF of your own (static/css/agreement-print.css; pages link
static/css/agreement.css, which imports it).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .kinds import kind_of
from .schema import Bullets, Field, Paragraph, Signatures, Template
from .values import MAX_SUBMITTED_ITEMS, NON_FIELD

PREFIX = "f"  # inputs are named "f.<key>[.<part>]": no clash with the page's own fields
ROLE_LABELS = {"mentor": "mentor", "mentee": "mentee", "coordinator": "coordinator"}
INLINE_KINDS = ("text", "person", "number", "date")


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
    def is_group(self) -> bool:
        """Several inputs (or a set of options): a fieldset with a legend, not one label."""
        return not kind_of(self.field).one_input

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


@dataclass
class Block[F]:
    """One block of a section; F is FieldView in the form, PrintField in the print layout."""

    type: str  # paragraph | bullets | signatures | field
    text: str = ""
    items: tuple[str, ...] = ()
    numbered: bool = False
    field: F | None = None


@dataclass
class SectionView[F]:
    key: str
    heading: str | None
    instructions: str | None
    blocks: list[Block[F]]


@dataclass
class FormView:
    template: Template
    party: str | None
    sections: list[SectionView[FieldView]]
    signers: list[str]  # "Mia (mentor)", in the signature block's order
    errors: list[str]  # errors not about one field (NON_FIELD)
    disabled: bool

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(input id, field label, message) for every error, in form order."""
        out = []
        for section in self.sections:
            for block in section.blocks:
                if block.field and block.field.all_errors:
                    for message in block.field.all_errors:
                        out.append((block.field.first_error_id, block.field.label, message))
        return out


def _id(prefix: str, *parts: object) -> str:
    return "-".join([prefix, *(str(p) for p in parts)])


def _name(prefix: str, *parts: object) -> str:
    return ".".join([prefix, *(str(p) for p in parts)])


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return ""
    return str(value)


def _person(role: str, names: dict[str, str]) -> str:
    """ "Theo (mentee)" when we know the name, "the mentee" otherwise."""
    name = names.get(role)
    return f"{name} ({ROLE_LABELS[role]})" if name else f"the {ROLE_LABELS[role]}"


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def _item_label(field: Field, index: int) -> str:
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


def _list_value(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict_value(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _errors_at(errors: dict[str, list[str]], path: str) -> list[str]:
    return [str(message) for message in errors.get(path, [])]


class _FormBuilder:
    def __init__(self, template, values, errors, party, names, disabled, prefix):
        self.template = template
        self.values = values if isinstance(values, dict) else {}
        self.errors = {str(k): list(v) for k, v in (errors or {}).items()}
        self.party = party
        self.names = names or {}
        self.disabled = disabled
        self.prefix = prefix

    def build(self) -> FormView:
        sections: list[SectionView[FieldView]] = []
        for section in self.template.sections:
            blocks: list[Block[FieldView]] = []
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    blocks.append(Block("paragraph", text=block.text))
                elif isinstance(block, Bullets):
                    blocks.append(Block("bullets", items=block.items, numbered=block.numbered))
                elif isinstance(block, Signatures):
                    blocks.append(Block("signatures"))
                else:
                    view = self.field(block)
                    view.label_is_heading = block.label == section.heading
                    blocks.append(Block("field", field=view))
            sections.append(SectionView(section.key, section.heading, section.instructions, blocks))
        if not any(b.type == "signatures" for s in sections for b in s.blocks) and sections:
            sections[-1].blocks.append(Block("signatures"))
        return FormView(
            template=self.template,
            party=self.party,
            sections=sections,
            signers=[_person(role, self.names) for role in self.template.signers],
            errors=_errors_at(self.errors, NON_FIELD),
            disabled=self.disabled,
        )

    def field(self, f: Field) -> FieldView:
        other_party = self.party is not None and f.party not in ("shared", self.party)
        note = ""
        if f.party != "shared" and (other_party or self.party is None):
            note = _capfirst(f"{_person(f.party, self.names)} fills this in")
        view = FieldView(
            field=f,
            id=_id(self.prefix, f.key),
            label=f.label,
            help=f.help,
            required=f.required,
            locked=self.disabled or other_party,
            note=note,
            errors=_errors_at(self.errors, f.key),
            unit=f.unit,
            statement=f.statement,
        )
        kind_of(f).form(self, f, view, self.values.get(f.key))
        return view

    def control(self, view: FieldView, *path: object, **kwargs: Any) -> Control:
        key_path = ".".join(str(p) for p in (view.key, *path))
        return Control(
            id=_id(self.prefix, view.key, *path),
            name=_name(self.prefix, view.key, *path),
            locked=view.locked,
            errors=_errors_at(self.errors, key_path) if path else [],
            **kwargs,
        )

    # -- one input

    def _single(self, f: Field, view: FieldView, value: Any) -> None:
        kind = {"textarea": "textarea", "number": "number", "date": "date"}.get(f.kind, "text")
        control = Control(
            id=view.id,
            name=_name(self.prefix, f.key),
            label=f.label,
            value=_text(value),
            locked=view.locked,
            type=kind,
            maxlength=f.max_length,
            min=f.min,
            max=f.max,
            step=f.step,
            rows=6 if (f.max_length or 0) > 500 else 3,
            help_id=view.describedby,
            invalid=bool(view.errors),
        )
        view.controls = [control]

    # -- items

    def _list(self, f: Field, view: FieldView, value: Any) -> None:
        items = _list_value(value)
        for i in range(item_slots(len(items), f.min_items, f.max_items)):
            control = self.control(
                view,
                i,
                label=_item_label(f, i),
                value=_text(items[i]) if i < len(items) else "",
                maxlength=f.max_length,
                type="textarea" if (f.max_length or 0) > 200 else "text",
                rows=2,
            )
            view.groups.append(Group(legend=control.label, controls=[control], id=control.id))

    def _goals(self, f: Field, view: FieldView, value: Any) -> None:
        goals = _list_value(value)
        for i in range(item_slots(len(goals), f.min_items, f.max_items)):
            goal = _dict_value(goals[i]) if i < len(goals) else {}
            controls = []
            if len(f.horizons) > 1:
                choices = [("", "Choose…")] + [(h, f"{h.capitalize()}-term") for h in f.horizons]
                controls.append(
                    self.control(
                        view,
                        i,
                        "horizon",
                        label="Short- or long-term",
                        value=_text(goal.get("horizon")),
                        type="select",
                        choices=choices,
                    )
                )
            for part in f.parts:
                if part == "target_date":
                    controls.append(
                        self.control(
                            view,
                            i,
                            part,
                            label="Target date",
                            value=_text(goal.get(part)),
                            type="date",
                        )
                    )
                else:
                    noun = f.item_name or "goal"
                    if part == "measure":
                        label = f.measure_label or ""
                    elif len(f.parts) == 1 and len(f.horizons) < 2:
                        label = _item_label(f, i)  # shown as a numbered line, like a list
                    else:
                        label = noun[:1].upper() + noun[1:]
                    controls.append(
                        self.control(
                            view,
                            i,
                            part,
                            label=label,
                            value=_text(goal.get(part)),
                            type="textarea",
                            maxlength=f.max_length,
                            rows=2,
                        )
                    )
            legend = _item_label(f, i)
            view.groups.append(
                Group(
                    legend=legend,
                    controls=controls,
                    errors=_errors_at(self.errors, f"{f.key}.{i}"),
                    id=controls[0].id,
                )
            )

    def _table(self, f: Field, view: FieldView, value: Any) -> None:
        rows = _list_value(value)
        for i in range(item_slots(len(rows), f.min_rows, f.max_rows)):
            row = _dict_value(rows[i]) if i < len(rows) else {}
            controls = [
                self.control(
                    view,
                    i,
                    column.key,
                    label=column.label,
                    value=_text(row.get(column.key)),
                    type=column.kind,
                    maxlength=column.max_length,
                    rows=2,
                )
                for column in f.columns
            ]
            view.groups.append(
                Group(
                    legend=_item_label(f, i),
                    controls=controls,
                    errors=_errors_at(self.errors, f"{f.key}.{i}"),
                    id=controls[0].id,
                )
            )

    # -- options

    def _other(self, f: Field, view: FieldView, text: Any) -> None:
        if f.other:
            view.other = self.control(
                view,
                "other_label",
                label=f"{f.other_label}: please specify",
                value=_text(text),
                maxlength=200,
            )

    def _counts(self, f: Field, view: FieldView, value: Any) -> None:
        counts = _dict_value(value)
        for key in f.option_keys():
            label = f.other_label if key == "other" else _option_label(f, key)
            view.controls.append(
                self.control(
                    view,
                    key,
                    label=label or key,
                    value=_text(counts.get(key)),
                    type="number",
                    min=0,
                    max=f.max or 999,
                )
            )
        self._other(f, view, counts.get("other_label"))

    def _options(self, f: Field, view: FieldView, chosen: list, text: Any, kind: str) -> None:
        for key in f.option_keys():
            label = f.other_label if key == "other" else _option_label(f, key)
            view.controls.append(
                Control(
                    id=_id(self.prefix, f.key, "option", key),
                    name=_name(self.prefix, f.key),
                    label=label or key,
                    value=key,
                    checked=key in chosen,
                    locked=view.locked,
                    type=kind,
                )
            )
        self._other(f, view, text)

    def _choice(self, f: Field, view: FieldView, value: Any) -> None:
        chosen, text = value, None
        if isinstance(value, dict):
            chosen, text = value.get("choice"), value.get("other_label")
        self._options(f, view, [chosen], text, "radio")

    def _multichoice(self, f: Field, view: FieldView, value: Any) -> None:
        chosen, text = value, None
        if isinstance(value, dict):
            chosen, text = value.get("choices"), value.get("other_label")
        self._options(f, view, chosen if isinstance(chosen, list) else [], text, "checkbox")

    def _acknowledgement(self, f: Field, view: FieldView, value: Any) -> None:
        accepted = _dict_value(value)
        for role in self.template.signers:
            mine = self.party is None or role == self.party
            who = _person(role, self.names)
            label = (
                f"I accept this ({who})" if self.party == role else _capfirst(f"{who} accepts this")
            )
            control = self.control(
                view,
                role,
                label=label,
                value="yes",
                checked=accepted.get(role) in (True, "yes", "on"),
                type="checkbox",
            )
            control.locked = self.disabled or not mine
            view.controls.append(control)
        view.locked = all(c.locked for c in view.controls)


def _option_label(f: Field, key: str) -> str:
    return next((o.label for o in f.options if o.key == key), key)


def build_form(
    template: Template,
    values: dict | None = None,
    errors: dict[str, list[str]] | None = None,
    *,
    party: str | None = None,
    names: dict[str, str] | None = None,
    disabled: bool = False,
    prefix: str = PREFIX,
) -> FormView:
    """The form's view for `_form.html`.

    `party` ("mentor", "mentee" or "coordinator") is who is filling it in: the other party's
    fields are shown read-only with a note ("Theo (mentee) fills this in"); None shows every
    field open. `names` gives each role's name for those notes. `disabled` shows it all
    read-only (a preview, or a signed agreement).
    """
    return _FormBuilder(template, values or {}, errors, party, names, disabled, prefix).build()


# ---------------------------------------------------------------------------------------------
# Reading a POST back


_INDEX_RE = re.compile(r"(\d{1,7})(?:\.([a-z][a-z0-9_]*))?\Z")


def _indexed(data, name: str) -> dict[int, dict[str | None, str]]:
    """{index: {part or None: value}} for every submitted "<name>.<i>[.<part>]"."""
    out: dict[int, dict[str | None, str]] = {}
    start = name + "."
    for key in data:
        if not key.startswith(start):
            continue
        match = _INDEX_RE.match(key[len(start) :])
        if match:
            out.setdefault(int(match.group(1)), {})[match.group(2)] = data.get(key)
    return out


def _rows(indexed: dict[int, dict], make) -> list:
    if not indexed:
        return []
    # Beyond the cap, hand over a list that validate_values refuses outright, instead of
    # building millions of empty rows from one "f.key.9999999".
    last = min(max(indexed), MAX_SUBMITTED_ITEMS)
    return [make(indexed.get(i, {})) for i in range(last + 1)]


def parse_post(
    template: Template, data, *, party: str | None = None, prefix: str = PREFIX
) -> dict[str, Any]:
    """The values a POST of `build_form(...)`'s inputs stands for, in the shape
    values.validate_values expects: every field `party` may fill in (all of them when None),
    each present even when empty; acknowledgements only for `party`'s own acceptance."""
    values: dict[str, Any] = {}
    for f in template.fields():
        if party is not None and f.party not in ("shared", party):
            continue
        name = _name(prefix, f.key)
        kind = f.kind
        if kind == "list":
            values[f.key] = _rows(_indexed(data, name), lambda parts: parts.get(None, ""))
        elif kind == "goals":
            allowed = set(f.parts) | ({"horizon"} if len(f.horizons) > 1 else set())
            values[f.key] = _rows(
                _indexed(data, name),
                lambda parts, allowed=allowed: {p: parts.get(p, "") for p in sorted(allowed)},
            )
        elif kind == "table":
            columns = [c.key for c in f.columns]
            values[f.key] = _rows(
                _indexed(data, name),
                lambda parts, columns=columns: {c: parts.get(c, "") for c in columns},
            )
        elif kind == "counts":
            counts = {key: data.get(f"{name}.{key}", "") for key in f.option_keys()}
            if f.other:
                counts["other_label"] = data.get(f"{name}.other_label", "")
            values[f.key] = counts
        elif kind == "choice":
            chosen = data.get(name, "")
            values[f.key] = (
                {"choice": chosen, "other_label": data.get(f"{name}.other_label", "")}
                if f.other
                else chosen
            )
        elif kind == "multichoice":
            chosen = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
            values[f.key] = (
                {"choices": list(chosen), "other_label": data.get(f"{name}.other_label", "")}
                if f.other
                else list(chosen)
            )
        elif kind == "acknowledgement":
            roles = [r for r in template.signers if party is None or r == party]
            values[f.key] = {role: data.get(f"{name}.{role}") == "yes" for role in roles}
        else:  # one input: text, textarea, person, number, date, and any kind that says so
            values[f.key] = kind_of(f).read_post(f, data, name)
    return values


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
    blank_lines: int = 0  # textarea: ruled lines when blank
    label_is_heading: bool = False  # the label repeats the section's heading: not printed twice

    @property
    def kind(self) -> str:
        return self.field.kind

    @property
    def inline(self) -> bool:
        return self.kind in INLINE_KINDS

    @property
    def table_rows(self) -> list[tuple[int, list[tuple[str, str]]]]:
        """A table's rows as (number, [(column label, cell)]): each cell carries its column's
        label, which a phone-width page shows beside it (the header row does not fit)."""
        return [
            (item.number, list(zip(self.columns, item.cells, strict=True))) for item in self.items
        ]


@dataclass
class PrintSignature:
    role: str
    label: str  # "Mentor's signature"
    typed_name: str = ""
    date: str = ""


@dataclass
class PrintDocument:
    template: Template
    sections: list[SectionView[PrintField]]
    signatures: list[PrintSignature]
    print_name: bool
    is_draft: bool


def date_text(value: Any) -> str:
    """'23 February 2027' for an ISO date; the text as given otherwise."""
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return _text(value)
    return f"{day.day} {day:%B %Y}"


def _print_field(f: Field, value: Any, template: Template) -> PrintField:
    pf = PrintField(field=f, label=f.label, text="")
    kind = f.kind
    if kind in ("text", "textarea", "person"):
        pf.text = _text(value)
        pf.blank_lines = 3 if (f.max_length or 0) > 500 else 2
    elif kind == "number":
        pf.text = _text(value)
    elif kind == "date":
        pf.text = date_text(value) if value else ""
    elif kind == "list":
        items = [i for i in _list_value(value) if _text(i).strip()]
        for i in range(_print_count(len(items), f.min_items, f.max_items)):
            pf.items.append(PrintItem(i + 1, text=_text(items[i]) if i < len(items) else ""))
    elif kind == "goals":
        goals = [g for g in _list_value(value) if isinstance(g, dict)]
        for i in range(_print_count(len(goals), f.min_items, f.max_items)):
            goal = goals[i] if i < len(goals) else {}
            parts = []
            horizon = goal.get("horizon") if len(f.horizons) > 1 else None
            goal_label = f"{horizon.capitalize()}-term" if isinstance(horizon, str) else ""
            if not goal_label and len(f.horizons) > 1:
                goal_label = "Short- or long-term"
            for part in f.parts:
                part_labels = {
                    "goal": goal_label,
                    "measure": f.measure_label or "",
                    "target_date": "Target date",
                }
                text = goal.get(part, "")
                parts.append(
                    (
                        part_labels[part],
                        date_text(text) if part == "target_date" and text else _text(text),
                    )
                )
            pf.items.append(PrintItem(i + 1, parts=parts))
    elif kind == "table":
        rows = [r for r in _list_value(value) if isinstance(r, dict)]
        pf.columns = [c.label for c in f.columns]
        for i in range(_print_count(len(rows), f.min_rows, f.max_rows)):
            row = rows[i] if i < len(rows) else {}
            cells = [
                date_text(row.get(c.key))
                if c.kind == "date" and row.get(c.key)
                else _text(row.get(c.key))
                for c in f.columns
            ]
            pf.items.append(PrintItem(i + 1, cells=cells))
    elif kind == "counts":
        counts = _dict_value(value)
        for key in f.option_keys():
            label = f.other_label if key == "other" else _option_label(f, key)
            pf.options.append(PrintOption(label or key, count=_text(counts.get(key))))
        if f.other:
            pf.other = _text(counts.get("other_label"))
    elif kind in ("choice", "multichoice"):
        chosen: Any = value
        other = None
        if isinstance(value, dict):
            chosen = value.get("choice", value.get("choices"))
            other = value.get("other_label")
        chosen_keys = chosen if isinstance(chosen, list) else [chosen]
        for key in f.option_keys():
            label = f.other_label if key == "other" else _option_label(f, key)
            pf.options.append(PrintOption(label or key, checked=key in chosen_keys))
        if f.other:
            pf.other = _text(other)
    elif kind == "acknowledgement":
        accepted = _dict_value(value)
        pf.accepted = [(role, accepted.get(role) is True) for role in template.signers]
    else:
        kind_of(f).print(pf, f, value, template)
    return pf


def _print_count(count: int, low: int | None, high: int | None) -> int:
    """Lines a list gets on paper: its items, and blank lines up to its minimum; an empty list
    gets its minimum, else up to 3 blank lines (fewer if its maximum is lower)."""
    if count:
        return max(count, low or 0)
    if low:
        return low
    return min(high, 3) if high else 3


def build_print(
    template: Template,
    values: dict | None = None,
    *,
    signatures: list[dict] | None = None,
    is_draft: bool = True,
) -> PrintDocument:
    """The print layout's view for `_print.html`. `signatures` fills the signature block:
    a list of {"role", "typed_name", "date"} (date as text); blank lines otherwise."""
    values = values if isinstance(values, dict) else {}
    sections: list[SectionView[PrintField]] = []
    print_name = False
    for section in template.sections:
        blocks: list[Block[PrintField]] = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                blocks.append(Block("paragraph", text=block.text))
            elif isinstance(block, Bullets):
                blocks.append(Block("bullets", items=block.items, numbered=block.numbered))
            elif isinstance(block, Signatures):
                print_name = block.print_name
                blocks.append(Block("signatures"))
            else:
                pf = _print_field(block, values.get(block.key), template)
                pf.label_is_heading = block.label == section.heading
                blocks.append(Block("field", field=pf))
        sections.append(SectionView(section.key, section.heading, section.instructions, blocks))
    if sections and not any(b.type == "signatures" for s in sections for b in s.blocks):
        sections[-1].blocks.append(Block("signatures"))
    signed = {s.get("role"): s for s in signatures or []}
    return PrintDocument(
        template=template,
        sections=sections,
        signatures=[
            PrintSignature(
                role=role,
                label=f"{ROLE_LABELS[role].capitalize()}'s signature",
                typed_name=_text(signed.get(role, {}).get("typed_name")),
                date=_text(signed.get(role, {}).get("date")),
            )
            for role in template.signers
        ],
        print_name=print_name,
        is_draft=is_draft,
    )


@cache
def print_css() -> str:
    """The print layout's stylesheet (static/css/agreement-print.css), for a PDF's <style>."""
    path = finders.find("css/agreement-print.css")
    assert isinstance(path, str), "static/css/agreement-print.css is missing"
    with open(path, encoding="utf-8") as css:
        return css.read()


def print_html(doc: PrintDocument) -> str:
    """A standalone HTML document of the print layout, as WeasyPrint reads it."""
    return render_to_string(
        "agreement_templates/print_document.html", {"doc": doc, "css": print_css()}
    )


def print_pdf(doc: PrintDocument) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol is allowed: nothing in the document is ever fetched.
    return HTML(string=print_html(doc), url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
