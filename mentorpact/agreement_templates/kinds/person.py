"""A person's name."""

from __future__ import annotations

from .base import register
from .text import Text


@register
class Person(Text):
    name = "person"
    position = 120
