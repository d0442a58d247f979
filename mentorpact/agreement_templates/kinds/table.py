"""Rows of cells under the template's columns (text, textarea or date)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from ..shape import OPTIONAL, Column, FieldBase, Integer, ItemName, Problems, low_high, unique_keys
from .base import (
    EMPTY,
    Add,
    Kind,
    blank,
    clean_date,
    clean_text,
    date_text,
    register,
    sequence,
    within_count,
)

if TYPE_CHECKING:
    from ..schema import Field, Template


class TableAttributes(FieldBase):
    columns: Annotated[
        tuple[Column, ...], unique_keys("column", empty="needs at least one column")
    ] = OPTIONAL
    min_rows: Annotated[int | None, Integer(minimum=0, maximum=1000)] = OPTIONAL
    max_rows: Annotated[int | None, Integer(minimum=1, maximum=1000)] = OPTIONAL
    item_name: ItemName = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        low_high(d, found, "min_rows", "max_rows")

    def attributes(self) -> dict[str, Any]:
        return {
            "columns": self.columns,  # schema.Field holds them as schema.Column
            "min_rows": self.min_rows,
            "max_rows": self.max_rows,
            "item_name": self.item_name or "row",
        }


@register
class Table(Kind):
    name = "table"
    position = 100
    one_input = False
    Attributes = TableAttributes

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        rows = sequence(value, add)
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
                    result = clean_date(cell, add, path)
                    if result is None:
                        ok = False
                        continue
                else:
                    result = clean_text(cell, column.max_length, add, path)
                    if result is None:
                        ok = False
                        continue
                if not blank(result):
                    out[name] = result
            if out:
                cleaned.append(out)
        if not ok or not within_count(cleaned, field, field.max_rows, add):
            return EMPTY
        return cleaned or EMPTY

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return any(not blank(cell) for row in value for cell in row.values())

    def text(self, field: Field, value: Any) -> str:
        labels = {column.key: column for column in field.columns}
        rows = []
        for row in value:
            cells = []
            for key, cell in row.items():
                column = labels.get(key)
                text = date_text(cell) if column and column.kind == "date" else str(cell)
                cells.append(f"{column.label if column else key}: {text}")
            rows.append("• " + "; ".join(cells))
        return "\n".join(rows)
