"""A person's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import register
from .text import Text

if TYPE_CHECKING:
    pass


@register
class Person(Text):
    name = "person"
    position = 120
