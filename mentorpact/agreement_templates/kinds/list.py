"""A list of texts (objectives, expectations)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..shape import Items
from .base import EMPTY, Add, Kind, blank, clean_text, register, sequence, within_count

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class List(Kind):
    name = "list"
    position = 30
    one_input = False
    Attributes = Items

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        items = sequence(value, add)
        if items is None:
            return EMPTY
        cleaned, ok = [], True
        for i, item in enumerate(items):
            text = clean_text(item, field.max_length, add, str(i))
            if text is None:
                ok = False
            elif not blank(text):
                cleaned.append(text)
        if not ok or not within_count(cleaned, field, field.max_items, add):
            return EMPTY
        return cleaned or EMPTY

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return any(item.strip() for item in value)

    def text(self, field: Field, value: Any) -> str:
        return "\n".join(f"• {item}" for item in value)
