"""A whole number, maybe with a unit ("months")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from ..drawing import PrintField, text_of
from ..shape import OPTIONAL, FieldBase, Integer, Problems, Text, low_high
from .base import EMPTY, Add, Kind, clean_integer, register

if TYPE_CHECKING:
    from ..schema import Field, Template


class NumberAttributes(FieldBase):
    unit: Annotated[str | None, Text()] = OPTIONAL
    min: Annotated[int | None, Integer()] = OPTIONAL
    max: Annotated[int | None, Integer()] = OPTIONAL
    step: Annotated[int | None, Integer(minimum=1)] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        low_high(d, found, "min", "max")


@register
class Number(Kind):
    name = "number"
    position = 50
    Attributes = NumberAttributes
    input_type = "number"
    form_template = "agreement_templates/kinds/number_form.html"  # with its unit
    print_template = "agreement_templates/kinds/number_print.html"

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        number = clean_integer(value, add, "", field.min, field.max, field.step)
        return EMPTY if number is None else number

    def text(self, field: Field, value: Any) -> str:
        return f"{value} {field.unit}" if field.unit else str(value)

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        printed.text = text_of(value)  # the unit is printed after it
