"""How many times each option (by phone: 2, face to face: 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from ..shape import OPTIONAL, Integer, Options
from .base import EMPTY, Add, Kind, blank, clean_integer, option_label, other_text, register

if TYPE_CHECKING:
    from ..schema import Field, Template

COUNT_MAX = 999  # a counts field's per-option ceiling when it sets no `max`


class CountsAttributes(Options):
    max: Annotated[int | None, Integer(minimum=1)] = OPTIONAL

    def attributes(self) -> dict[str, Any]:
        return {**super().attributes(), "max": self.max}


@register
class Counts(Kind):
    name = "counts"
    position = 60
    one_input = False
    Attributes = CountsAttributes

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        if value is None or value == {}:
            return EMPTY
        if not isinstance(value, dict):
            add("", "Expected a number for each option.")
            return EMPTY
        keys = field.option_keys()
        cleaned: dict[str, Any] = {}
        ok = True
        for name, count in value.items():
            if field.other and name == "other_label":
                text = other_text(count, add, "other_label")
                if text is None:
                    ok = False
                elif not blank(text):
                    cleaned["other_label"] = text
                continue
            if not isinstance(name, str) or name not in keys:
                add(str(name), "This isn't one of the options.")
                ok = False
                continue
            number = clean_integer(count, add, name, 0, field.max or COUNT_MAX, None)
            if number is None:
                ok = False
            elif number is not EMPTY and number > 0:
                cleaned[name] = number
        if not ok:
            return EMPTY
        return cleaned or EMPTY

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return any(isinstance(n, int) and n > 0 for name, n in value.items())

    def text(self, field: Field, value: Any) -> str:
        items = [
            f"{option_label(field, key, value.get('other_label'))}: {count}"
            for key, count in value.items()
            if key != "other_label"
        ]
        return ", ".join(items)
