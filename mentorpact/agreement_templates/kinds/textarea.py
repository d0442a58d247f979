"""Several lines of text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..shape import LongText
from .base import PlanGoal, register
from .text import Text

if TYPE_CHECKING:
    from ..schema import Field


@register
class Textarea(Text):
    name = "textarea"
    position = 20
    input_type = "textarea"
    Attributes = LongText
    print_template = "agreement_templates/kinds/textarea_print.html"  # ruled lines when blank

    def plan_goals(self, field: Field, value: Any) -> list[PlanGoal]:
        """A textarea with `plan: goal` is one goal, its whole text (ASPE's and WHPRMS's
        "Goal:", RED's "overall goals that I hope to achieve")."""
        if field.plan != "goal" or not value:
            return []
        label = field.label.strip().rstrip(":").strip()  # "Goal:" -> "Goal"
        noun = (field.item_name or "goal").capitalize()
        return [PlanGoal(field.key, label if 0 < len(label) <= 40 else noun, value.strip())]
