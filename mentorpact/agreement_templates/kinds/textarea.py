"""Several lines of text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import register
from .text import Text

if TYPE_CHECKING:
    pass


@register
class Textarea(Text):
    name = "textarea"
    position = 20
