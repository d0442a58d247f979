"""How many times each option (by phone: 2, face to face: 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from ..drawing import FieldView, FormContext, PrintField, dict_value, option_label, text_of
from ..shape import OPTIONAL, Integer, Options
from .base import EMPTY, blank, clean_integer, other_text, register
from .base import option_label as option_text
from .shared import Entries, KeyedKind, OptionsKind

if TYPE_CHECKING:
    from ..schema import Field, Template

COUNT_MAX = 999  # a counts field's per-option ceiling when it sets no `max`


class CountsAttributes(Options):
    max: Annotated[int | None, Integer(minimum=1)] = OPTIONAL

    def attributes(self) -> dict[str, Any]:
        return {**super().attributes(), "max": self.max}


@register
class Counts(KeyedKind, OptionsKind):
    name = "counts"
    position = 60
    Attributes = CountsAttributes
    expected = "Expected a number for each option."
    form_template = "agreement_templates/kinds/counts_form.html"
    print_template = "agreement_templates/kinds/counts_print.html"

    def clean_entry(self, field: Field, key: Any, entry: Any, entries: Entries) -> bool:
        add, cleaned = entries.add, entries.cleaned
        if field.other and key == "other_label":
            text = other_text(entry, add, "other_label")
            if text is not None and not blank(text):
                cleaned["other_label"] = text
            return text is not None
        if not isinstance(key, str) or key not in field.option_keys():
            add(str(key), "This isn't one of the options.")
            return False
        number = clean_integer(entry, add, key, 0, field.max or COUNT_MAX, None)
        if number is not None and number is not EMPTY and number > 0:
            cleaned[key] = number
        return number is not None

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return any(isinstance(n, int) and n > 0 for name, n in value.items())

    def text(self, field: Field, value: Any) -> str:
        items = [
            f"{option_text(field, key, value.get('other_label'))}: {count}"
            for key, count in value.items()
            if key != "other_label"
        ]
        return ", ".join(items)

    def chosen_options(self, field: Field, value: Any) -> list[str]:
        counted = [k for k, n in dict_value(value).items() if k != "other_label" and n]
        return [key for key in field.option_keys() if key in counted]

    def form(self, form: FormContext, field: Field, view: FieldView, value: Any) -> None:
        counts = dict_value(value)
        view.controls = [
            form.control(
                view,
                key,
                label=option_label(field, key),
                value=text_of(counts.get(key)),
                type="number",
                min=0,
                max=field.max or COUNT_MAX,
            )
            for key in field.option_keys()
        ]
        self.other_control(form, field, view, counts.get("other_label"))

    def posted_keys(self, field: Field, template: Template, party: str | None) -> list[str]:
        return [*field.option_keys(), *(["other_label"] if field.other else [])]

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        counts = dict_value(value)
        self.print_options(printed, field, [], counts.get("other_label"), counts)
