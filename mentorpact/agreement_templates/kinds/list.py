"""A list of texts (objectives, expectations)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..drawing import (
    FieldView,
    FormContext,
    Group,
    PrintField,
    PrintItem,
    item_label,
    item_slots,
    list_value,
    print_count,
    text_of,
)
from ..shape import Items
from .base import (
    EMPTY,
    Add,
    PlanGoal,
    blank,
    clean_text,
    posted_items,
    register,
    sequence,
    within_count,
)
from .shared import ItemsKind

if TYPE_CHECKING:
    from ..schema import Field, Template


@register
class List(ItemsKind):
    name = "list"
    position = 30
    Attributes = Items
    form_template = "agreement_templates/kinds/list_form.html"
    print_template = "agreement_templates/kinds/list_print.html"

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

    def form(self, form: FormContext, field: Field, view: FieldView, value: Any) -> None:
        items = list_value(value)
        for i in range(item_slots(len(items), *self.bounds(field))):
            control = form.control(
                view,
                i,
                label=item_label(field, i),
                value=text_of(items[i]) if i < len(items) else "",
                maxlength=field.max_length,
                type="textarea" if (field.max_length or 0) > 200 else "text",
                rows=2,
            )
            view.groups.append(Group(legend=control.label, controls=[control], id=control.id))

    def read_post(
        self, field: Field, data: Any, name: str, template: Template, party: str | None
    ) -> Any:
        return posted_items(data, name, lambda parts: parts.get(None, ""))

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        items = [i for i in list_value(value) if text_of(i).strip()]
        for i in range(print_count(len(items), *self.bounds(field))):
            printed.items.append(PrintItem(i + 1, text=text_of(items[i]) if i < len(items) else ""))

    def plan_goals(self, field: Field, value: Any) -> list[PlanGoal]:
        """With `plan: goal`, each entry is one goal (ASPE's and WHPRMS's three objectives)."""
        if field.plan != "goal":
            return []
        noun = (field.item_name or "goal").capitalize()
        return [PlanGoal(field.key, f"{noun} {i}", text) for i, text in enumerate(value, start=1)]
