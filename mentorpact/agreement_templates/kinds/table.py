"""Rows of cells under the template's columns (text, textarea or date)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from ..drawing import FieldView, FormContext, PrintField, PrintItem, date_text, text_of
from ..shape import (
    OPTIONAL,
    Column,
    FieldBase,
    Integer,
    ItemName,
    PlanAsCommitment,
    Problems,
    low_high,
    unique_keys,
)
from .base import PlanCommitment, blank, register
from .shared import RowsKind

if TYPE_CHECKING:
    from ..drawing import Control
    from ..schema import Field, Template


class TableAttributes(FieldBase):
    columns: Annotated[
        tuple[Column, ...], unique_keys("column", empty="needs at least one column")
    ] = OPTIONAL
    min_rows: Annotated[int | None, Integer(minimum=0, maximum=1000)] = OPTIONAL
    max_rows: Annotated[int | None, Integer(minimum=1, maximum=1000)] = OPTIONAL
    item_name: ItemName = OPTIONAL
    plan: PlanAsCommitment = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        low_high(d, found, "min_rows", "max_rows")

    def attributes(self) -> dict[str, Any]:
        return {
            "columns": self.columns,  # schema.Field holds them as schema.Column
            "min_rows": self.min_rows,
            "max_rows": self.max_rows,
            "item_name": self.item_name or "row",
            "plan": self.plan,
        }


@register
class Table(RowsKind):
    name = "table"
    position = 100
    Attributes = TableAttributes
    form_template = "agreement_templates/kinds/table_form.html"
    print_template = "agreement_templates/kinds/table_print.html"
    row_noun = "row"
    unknown_cell = "This isn't a column of this table."

    def bounds(self, field: Field) -> tuple[int | None, int | None]:
        return field.min_rows, field.max_rows

    def cells(self, field: Field) -> list[str]:
        return [column.key for column in field.columns]

    def date_cells(self, field: Field) -> set[str]:
        return {column.key for column in field.columns if column.kind == "date"}

    def max_length(self, field: Field, name: str) -> int | None:
        return next(column.max_length for column in field.columns if column.key == name)

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

    # -- the form and paper

    def row_controls(
        self, form: FormContext, field: Field, view: FieldView, index: int, row: dict
    ) -> list[Control]:
        return [
            form.control(
                view,
                index,
                column.key,
                label=column.label,
                value=text_of(row.get(column.key)),
                type=column.kind,
                maxlength=column.max_length,
                rows=2,
            )
            for column in field.columns
        ]

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        printed.columns = [column.label for column in field.columns]
        super().print(printed, field, value, template)

    def print_row(self, field: Field, number: int, row: dict) -> PrintItem:
        cells = [
            date_text(row.get(c.key))
            if c.kind == "date" and row.get(c.key)
            else text_of(row.get(c.key))
            for c in field.columns
        ]
        return PrintItem(number, cells=cells)

    def plan_commitments(self, field: Field, value: Any) -> list[PlanCommitment]:
        """A table with `plan: commitment` (WHPRMS's "We have identified, and will commit to,
        ..."): each row is a commitment, its first column what, the others where."""
        if field.plan != "commitment":
            return []
        keys = [column.key for column in field.columns]
        out = []
        for row in value or []:
            texts = [str(row.get(key, "")).strip() for key in keys]
            opportunity = texts[0] if texts else ""
            venue = "; ".join(t for t in texts[1:] if t)
            if opportunity or venue:
                out.append(PlanCommitment(opportunity or venue, venue if opportunity else ""))
        return out
