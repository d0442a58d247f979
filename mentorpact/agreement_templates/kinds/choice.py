"""One of the options (or "other", in the person's words)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..shape import Options
from .base import EMPTY, Add, Kind, blank, option_label, other_text, register

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class Choice(Kind):
    name = "choice"
    position = 70
    one_input = False
    Attributes = Options

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        if value is None or value == "":
            return EMPTY
        keys = field.option_keys()
        other_label: Any = EMPTY
        if field.other and isinstance(value, dict):
            unknown = set(value) - {"choice", "other_label"}
            if unknown:
                add("", "Choose one of the options.")
                return EMPTY
            other_label = other_text(value.get("other_label"), add, "other_label")
            if other_label is None:
                return EMPTY
            value = value.get("choice")
            if value is None or value == "":
                return EMPTY
        if not isinstance(value, str) or value not in keys:
            add("", "Choose one of the options.")
            return EMPTY
        if not field.other:
            return value
        cleaned: dict[str, Any] = {"choice": value}
        if value == "other" and not blank(other_label):
            cleaned["other_label"] = other_label
        return cleaned

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        if isinstance(value, dict):  # {"choice": ...} with other: true
            return value["choice"] != "other" or bool(value.get("other_label", "").strip())
        return super().is_filled(field, value, template)

    def missing(self, field: Field, value: Any, template: Template) -> str:
        return "Choose an option."

    def text(self, field: Field, value: Any) -> str:
        if isinstance(value, dict):
            return option_label(field, value["choice"], value.get("other_label"))
        return option_label(field, value)
