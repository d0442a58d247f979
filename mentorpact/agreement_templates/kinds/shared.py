"""What several kinds have in common, as base classes (no kind is registered here):

- `OptionsKind`: a field with options and maybe "other, please specify" (choice,
  multichoice, counts);
- `KeyedKind`: a value that is a dict of entries by key, each cleaned on its own
  (counts: a number per option; acknowledgement: an acceptance per signer);
- `ItemsKind`: a value that is a list of items, with a fewest and most (list, goals, table);
- `RowsKind`: items that are rows of named cells, each a text or a date (goals, table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from ..drawing import (
    FieldView,
    FormContext,
    Group,
    PrintField,
    PrintItem,
    PrintOption,
    dict_value,
    item_label,
    item_slots,
    list_value,
    option_label,
    print_count,
    text_of,
)
from .base import (
    EMPTY,
    Add,
    Kind,
    blank,
    clean_date,
    clean_text,
    posted_items,
    sequence,
    within_count,
)

if TYPE_CHECKING:
    from ..drawing import Control
    from ..schema import Field, Template


class OptionsKind(Kind):
    """Options to tick (or count), and the "other" text when the field has `other: true`."""

    one_input = False

    def other_control(self, form: FormContext, field: Field, view: FieldView, text: Any) -> None:
        if field.other:
            view.other = form.control(
                view,
                "other_label",
                label=f"{field.other_label}: please specify",
                value=text_of(text),
                maxlength=200,
            )

    def option_controls(
        self, form: FormContext, field: Field, view: FieldView, chosen: list, type: str
    ) -> list[Control]:
        """A radio or checkbox per option, named "<prefix>.<key>", ticked when chosen."""
        controls = []
        for key in field.option_keys():
            control = form.control(
                view, label=option_label(field, key), value=key, checked=key in chosen, type=type
            )
            control.id = f"{view.id}-option-{key}"
            controls.append(control)
        return controls

    def print_options(
        self, printed: PrintField, field: Field, chosen: list, other: Any, counts: dict
    ) -> None:
        for key in field.option_keys():
            printed.options.append(
                PrintOption(
                    option_label(field, key), checked=key in chosen, count=text_of(counts.get(key))
                )
            )
        if field.other:
            printed.other = text_of(other)


class Entries(NamedTuple):
    """What a KeyedKind cleans its entries with, and the cleaned entries so far."""

    add: Add
    template: Template
    party: str | None
    cleaned: dict[str, Any]


class KeyedKind(Kind):
    """A dict of entries by key; `clean_entry` cleans one into `entries.cleaned` (False: a
    problem was reported)."""

    one_input = False
    expected: ClassVar[str]  # what to say when the value is not a dict at all

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        if value is None or value == {}:
            return EMPTY
        if not isinstance(value, dict):
            add("", self.expected)
            return EMPTY
        entries = Entries(add, template, party, {})
        results = [self.clean_entry(field, key, entry, entries) for key, entry in value.items()]
        if not all(results):
            return EMPTY
        return entries.cleaned or EMPTY

    def clean_entry(self, field: Field, key: Any, entry: Any, entries: Entries) -> bool:
        raise NotImplementedError

    def posted_keys(self, field: Field, template: Template, party: str | None) -> list[str]:
        """The entries the form submits as "<name>.<key>"."""
        raise NotImplementedError

    def read_entry(self, posted: str) -> Any:
        return posted

    def read_post(
        self, field: Field, data: Any, name: str, template: Template, party: str | None
    ) -> Any:
        return {
            key: self.read_entry(data.get(f"{name}.{key}", ""))
            for key in self.posted_keys(field, template, party)
        }


class ItemsKind(Kind):
    """A list of items, at least `min_items` before signing and at most `max_items`."""

    one_input = False

    def bounds(self, field: Field) -> tuple[int | None, int | None]:
        return field.min_items, field.max_items


class RowsKind(ItemsKind):
    """Rows of named cells: `cells` says which a row may have; each cleans as a date
    (`date_cells`) or a text of at most `max_length(name)`."""

    row_noun: ClassVar[str]  # "Expected a goal."
    unknown_cell: ClassVar[str]  # what to say about a cell the row may not have

    def cells(self, field: Field) -> list[str]:
        raise NotImplementedError

    def date_cells(self, field: Field) -> set[str]:
        raise NotImplementedError

    def max_length(self, field: Field, name: str) -> int | None:
        raise NotImplementedError

    def clean_cell(self, field: Field, name: str, cell: Any, add: Add, path: str) -> Any:
        """The cleaned cell, EMPTY for nothing, or None after reporting a problem."""
        if name in self.date_cells(field):
            return clean_date(cell, add, path)
        return clean_text(cell, self.max_length(field, name), add, path)

    def is_blank_row(self, field: Field, row: dict[str, Any]) -> bool:
        return not row

    def check_row(self, field: Field, row: dict[str, Any], add: Add, index: int) -> bool:
        """Checks across a kept row's cells (False: a problem was reported)."""
        return True

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        rows = sequence(value, add)
        if rows is None:
            return EMPTY
        allowed = set(self.cells(field))
        cleaned, ok = [], True
        for i, row in enumerate(rows):
            if row is None:
                continue
            if not isinstance(row, dict):
                add(str(i), f"Expected a {self.row_noun}.")
                ok = False
                continue
            out: dict[str, Any] = {}
            for name, cell in row.items():
                path = f"{i}.{name}"
                if not isinstance(name, str) or name not in allowed:
                    add(path, self.unknown_cell)
                    ok = False
                    continue
                result = self.clean_cell(field, name, cell, add, path)
                if result is None:
                    ok = False
                elif not blank(result):
                    out[name] = result
            if not self.is_blank_row(field, out):
                if not self.check_row(field, out, add, i):
                    ok = False
                cleaned.append(out)
        if not ok or not within_count(cleaned, field, self.bounds(field)[1], add):
            return EMPTY
        return cleaned or EMPTY

    # -- the form: a numbered group of inputs per row

    def row_controls(
        self, form: FormContext, field: Field, view: FieldView, index: int, row: dict
    ) -> list[Control]:
        raise NotImplementedError

    def form(self, form: FormContext, field: Field, view: FieldView, value: Any) -> None:
        rows = list_value(value)
        for i in range(item_slots(len(rows), *self.bounds(field))):
            row = dict_value(rows[i]) if i < len(rows) else {}
            controls = self.row_controls(form, field, view, i, row)
            view.groups.append(
                Group(
                    legend=item_label(field, i),
                    controls=controls,
                    errors=form.errors_at(f"{field.key}.{i}"),
                    id=controls[0].id,
                )
            )

    def posted_cells(self, field: Field) -> list[str]:
        return self.cells(field)

    def read_post(
        self, field: Field, data: Any, name: str, template: Template, party: str | None
    ) -> Any:
        names = self.posted_cells(field)
        return posted_items(data, name, lambda parts: {c: parts.get(c, "") for c in names})

    # -- paper: a numbered item per row, and blank ones up to the fewest

    def print_row(self, field: Field, number: int, row: dict) -> PrintItem:
        raise NotImplementedError

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        rows = [r for r in list_value(value) if isinstance(r, dict)]
        for i in range(print_count(len(rows), *self.bounds(field))):
            printed.items.append(self.print_row(field, i + 1, rows[i] if i < len(rows) else {}))
