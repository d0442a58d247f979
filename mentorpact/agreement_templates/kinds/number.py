"""A whole number, maybe with a unit ("months")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

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

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        number = clean_integer(value, add, "", field.min, field.max, field.step)
        return EMPTY if number is None else number

    def text(self, field: Field, value: Any) -> str:
        return f"{value} {field.unit}" if field.unit else str(value)
