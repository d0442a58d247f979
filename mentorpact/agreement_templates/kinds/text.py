"""A line of text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..shape import TextLike
from .base import EMPTY, Add, Kind, clean_text, register

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class Text(Kind):
    name = "text"
    position = 10
    Attributes = TextLike

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        text = clean_text(value, field.max_length, add)
        return EMPTY if text is None else text
