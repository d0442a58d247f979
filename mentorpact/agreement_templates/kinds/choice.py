"""One of the options (or "other", in the person's words)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drawing import FieldView, FormContext, PrintField
from ..shape import Options
from .base import EMPTY, Add, blank, option_label, other_text, register
from .shared import OptionsKind

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class Choice(OptionsKind):
    name = "choice"
    position = 70
    Attributes = Options
    form_template = "agreement_templates/kinds/choice_form.html"
    print_template = "agreement_templates/kinds/choice_print.html"
    input_type = "radio"  # each option's input (multichoice: checkbox)

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

    def chosen(self, value: Any) -> tuple[list, Any]:
        """(the chosen keys, the "other" text) of a value, as stored or as typed."""
        if isinstance(value, dict):
            return [value.get("choice")], value.get("other_label")
        return [value], None

    def chosen_options(self, field: Field, value: Any) -> list[str]:
        chosen = self.chosen(value)[0]
        return [key for key in field.option_keys() if key in chosen]

    def form(self, form: FormContext, field: Field, view: FieldView, value: Any) -> None:
        chosen, other = self.chosen(value)
        view.controls = self.option_controls(form, field, view, chosen, self.input_type)
        self.other_control(form, field, view, other)

    def read_post(
        self, field: Field, data: Any, name: str, template: Template, party: str | None
    ) -> Any:
        chosen = data.get(name, "")
        if not field.other:
            return chosen
        return {"choice": chosen, "other_label": data.get(f"{name}.other_label", "")}

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        chosen, other = self.chosen(value)
        self.print_options(printed, field, chosen, other, {})
