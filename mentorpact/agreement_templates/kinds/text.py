"""A line of text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drawing import PrintField, text_of
from ..shape import TextLike
from .base import EMPTY, Add, Kind, clean_text, register

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class Text(Kind):
    name = "text"
    position = 10
    Attributes = TextLike
    print_template = "agreement_templates/kinds/text_print.html"  # label and value on one line

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        text = clean_text(value, field.max_length, add)
        return EMPTY if text is None else text

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        printed.text = text_of(value)
        printed.blank_lines = 3 if (field.max_length or 0) > 500 else 2
