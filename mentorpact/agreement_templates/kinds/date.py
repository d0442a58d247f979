"""A date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drawing import date_text
from .base import EMPTY, Add, Kind, clean_date, register

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class Date(Kind):
    name = "date"
    position = 90
    input_type = "date"
    print_template = "agreement_templates/kinds/text_print.html"

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        day = clean_date(value, add)
        return EMPTY if day is None else day

    def text(self, field: Field, value: Any) -> str:
        return date_text(value)
