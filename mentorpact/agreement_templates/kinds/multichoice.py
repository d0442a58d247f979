"""Any of the options (and "other")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..shape import Options
from .base import EMPTY, Add, blank, option_label, other_text, register, sequence
from .choice import Choice

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class Multichoice(Choice):
    """Drawn like a choice, with a checkbox per option instead of a radio button."""

    name = "multichoice"
    position = 80
    Attributes = Options
    input_type = "checkbox"

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        keys = field.option_keys()
        other_label: Any = EMPTY
        if field.other and isinstance(value, dict):
            if set(value) - {"choices", "other_label"}:
                add("", "Choose from the options.")
                return EMPTY
            other_label = other_text(value.get("other_label"), add, "other_label")
            if other_label is None:
                return EMPTY
            value = value.get("choices")
        chosen = sequence(value, add)
        if chosen is None:
            return EMPTY
        for item in chosen:
            if not isinstance(item, str) or item not in keys:
                add("", "Choose from the options.")
                return EMPTY
        ordered = [key for key in keys if key in chosen]  # template order: one canonical form
        if not ordered:
            return EMPTY
        if not field.other:
            return ordered
        cleaned: dict[str, Any] = {"choices": ordered}
        if "other" in ordered and not blank(other_label):
            cleaned["other_label"] = other_label
        return cleaned

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return bool(value["choices"]) if isinstance(value, dict) else True

    def missing(self, field: Field, value: Any, template: Template) -> str:
        return "Choose an option."

    def text(self, field: Field, value: Any) -> str:
        keys = value["choices"] if isinstance(value, dict) else value
        other = value.get("other_label") if isinstance(value, dict) else None
        return ", ".join(option_label(field, key, other) for key in keys)

    def chosen(self, value: Any) -> tuple[list, Any]:
        other = None
        if isinstance(value, dict):
            value, other = value.get("choices"), value.get("other_label")
        return (value if isinstance(value, list) else []), other

    def read_post(
        self, field: Field, data: Any, name: str, template: Template, party: str | None
    ) -> Any:
        chosen = list(data.getlist(name) if hasattr(data, "getlist") else data.get(name, []))
        if not field.other:
            return chosen
        return {"choices": chosen, "other_label": data.get(f"{name}.other_label", "")}
