"""Goals, each with its measure, target date and horizon as the template asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BeforeValidator

from ..drawing import FieldView, FormContext, PrintItem, date_text, item_label, text_of
from ..shape import (
    DEFAULT_MEASURE_LABEL,
    GOAL_PARTS,
    HORIZONS,
    OPTIONAL,
    Items,
    OneOf,
    Problems,
    Text,
    check_list,
    check_text,
    unique_choices,
    valid,
)
from .base import EMPTY, Add, PlanGoal, iso_date, register
from .shared import RowsKind

if TYPE_CHECKING:
    from ..drawing import Control
    from ..schema import Field, Template


def check_goal_parts(value: Any) -> tuple[str, ...]:
    if value is None:
        return GOAL_PARTS
    raw = check_list(value) or []
    found = Problems()
    chosen = unique_choices(raw, GOAL_PARTS, what="goal part", problems=found)
    if "goal" not in chosen:
        found.add((), 'every goal has its "goal" part: add goal to parts')
    found.raise_any()
    return tuple(p for p in GOAL_PARTS if p in chosen)  # one canonical order


def check_horizons(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    raw = check_list(value, required=True, empty="must not be empty")
    found = Problems()
    chosen = unique_choices(raw or [], HORIZONS, what="horizon", problems=found)
    found.raise_any()
    return tuple(h for h in HORIZONS if h in chosen)


class GoalsAttributes(Items):
    default_item_name: ClassVar[str] = "goal"

    parts: Annotated[tuple[str, ...], BeforeValidator(check_goal_parts)] = OPTIONAL
    measure_label: Annotated[str | None, Text()] = OPTIONAL
    horizon: Annotated[str | None, OneOf(HORIZONS, what="horizon")] = OPTIONAL
    horizons: Annotated[tuple[str, ...], BeforeValidator(check_horizons)] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        super().check_raw(d, found, context)
        parts = valid(check_goal_parts, d.get("parts"))
        label = valid(check_text, d.get("measure_label"))
        if label is not None and parts is not None and "measure" not in parts:
            found.add(("measure_label",), 'measure_label needs "measure" in parts')
        if "horizon" in d and "horizons" in d:
            found.add(("horizons",), "give horizon or horizons, not both")
        elif "horizon" in d and d["horizon"] is None:
            found.add(("horizon",), f"missing (expected one of: {', '.join(HORIZONS)})")

    def attributes(self) -> dict[str, Any]:
        horizons = (self.horizon,) if self.horizon else self.horizons
        return {
            **super().attributes(),
            "parts": self.parts,
            "measure_label": (self.measure_label or DEFAULT_MEASURE_LABEL)
            if "measure" in self.parts
            else None,
            "horizons": horizons,
        }


@register
class Goals(RowsKind):
    name = "goals"
    position = 40
    Attributes = GoalsAttributes
    form_template = "agreement_templates/kinds/list_form.html"
    print_template = "agreement_templates/kinds/goals_print.html"
    row_noun = "goal"
    unknown_cell = "This isn't part of a goal here."

    def cells(self, field: Field) -> list[str]:
        return [*field.parts, *(["horizon"] if field.horizons else [])]

    def date_cells(self, field: Field) -> set[str]:
        return {"target_date"}

    def max_length(self, field: Field, name: str) -> int | None:
        return field.max_length

    def clean_cell(self, field: Field, name: str, cell: Any, add: Add, path: str) -> Any:
        if name != "horizon":
            return super().clean_cell(field, name, cell, add, path)
        if cell in (None, ""):
            return EMPTY
        if cell not in field.horizons:
            choices = " or ".join(f"{h}-term" for h in field.horizons)
            add(path, f"Choose {choices}.")
            return None
        # With one horizon, the field already says it.
        return cell if len(field.horizons) > 1 else EMPTY

    def is_blank_row(self, field: Field, row: dict[str, Any]) -> bool:
        return not set(row) - {"horizon"}

    def check_row(self, field: Field, row: dict[str, Any], add: Add, index: int) -> bool:
        if len(field.horizons) > 1 and "horizon" not in row:
            choices = " or ".join(f"{h}-term" for h in field.horizons)
            add(f"{index}.horizon", f"Say whether this is a {choices} goal.")
            return False
        return True

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return any(goal.get("goal", "").strip() for goal in value)

    def text(self, field: Field, value: Any) -> str:
        lines = []
        for goal in value:
            parts = [goal.get("goal", "")]
            if goal.get("horizon"):
                parts.insert(0, f"[{goal['horizon']}-term]")
            if goal.get("measure"):
                parts.append(f"— {field.measure_label or 'measure'}: {goal['measure']}")
            if goal.get("target_date"):
                parts.append(f"(by {date_text(goal['target_date'])})")
            lines.append("• " + " ".join(p for p in parts if p))
        return "\n".join(lines)

    # -- the form and paper

    def posted_cells(self, field: Field) -> list[str]:
        return sorted({*field.parts, *(["horizon"] if len(field.horizons) > 1 else [])})

    def row_controls(
        self, form: FormContext, field: Field, view: FieldView, index: int, row: dict
    ) -> list[Control]:
        controls = []
        if len(field.horizons) > 1:
            choices = [("", "Choose…")] + [(h, f"{h.capitalize()}-term") for h in field.horizons]
            controls.append(
                form.control(
                    view,
                    index,
                    "horizon",
                    label="Short- or long-term",
                    value=text_of(row.get("horizon")),
                    type="select",
                    choices=choices,
                )
            )
        for part in field.parts:
            if part == "target_date":
                label, kind, size = "Target date", "date", {}
            else:
                noun = field.item_name or "goal"
                if part == "measure":
                    label = field.measure_label or ""
                elif len(field.parts) == 1 and len(field.horizons) < 2:
                    label = item_label(field, index)  # shown as a numbered line, like a list
                else:
                    label = noun[:1].upper() + noun[1:]
                kind, size = "textarea", {"maxlength": field.max_length, "rows": 2}
            controls.append(
                form.control(
                    view, index, part, label=label, value=text_of(row.get(part)), type=kind, **size
                )
            )
        return controls

    def print_row(self, field: Field, number: int, row: dict) -> PrintItem:
        horizon = row.get("horizon") if len(field.horizons) > 1 else None
        goal_label = f"{horizon.capitalize()}-term" if isinstance(horizon, str) else ""
        if not goal_label and len(field.horizons) > 1:
            goal_label = "Short- or long-term"
        labels = {
            "goal": goal_label,
            "measure": field.measure_label or "",
            "target_date": "Target date",
        }
        parts = []
        for part in field.parts:
            text = row.get(part, "")
            shown = date_text(text) if part == "target_date" and text else text_of(text)
            parts.append((labels[part], shown))
        return PrintItem(number, parts=parts)

    def plan_goals(self, field: Field, value: Any) -> list[PlanGoal]:
        """With `plan: goal`, each goal, with its measure, target date and horizon as the
        field asks for them."""
        if field.plan != "goal":
            return []
        noun = (field.item_name or "goal").capitalize()
        out = []
        for i, goal in enumerate(value, start=1):
            horizon = goal.get("horizon") or (field.horizons[0] if len(field.horizons) == 1 else "")
            prefix = {"short": "Short-term ", "long": "Long-term "}.get(horizon, "")
            label = f"{prefix}{noun.lower()} {i}" if prefix else f"{noun} {i}"
            out.append(
                PlanGoal(
                    field.key,
                    label,
                    goal.get("goal", ""),
                    measure=goal.get("measure", ""),
                    due_on=iso_date(goal.get("target_date")),
                    horizon=horizon,
                )
            )
        return out
