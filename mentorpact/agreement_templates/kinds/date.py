"""A date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import EMPTY, Add, Kind, clean_date, date_text, register

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class Date(Kind):
    name = "date"
    position = 90

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        day = clean_date(value, add)
        return EMPTY if day is None else day

    def text(self, field: Field, value: Any) -> str:
        return date_text(value)
