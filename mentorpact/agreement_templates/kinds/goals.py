"""Goals, each with its measure, target date and horizon as the template asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BeforeValidator

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
from .base import (
    EMPTY,
    Add,
    Kind,
    blank,
    clean_date,
    clean_text,
    date_text,
    register,
    sequence,
    within_count,
)

if TYPE_CHECKING:
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
class Goals(Kind):
    name = "goals"
    position = 40
    one_input = False
    Attributes = GoalsAttributes

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        items = sequence(value, add)
        if items is None:
            return EMPTY
        allowed = set(field.parts) | ({"horizon"} if field.horizons else set())
        cleaned, ok = [], True
        for i, item in enumerate(items):
            if item is None:
                continue
            if not isinstance(item, dict):
                add(str(i), "Expected a goal.")
                ok = False
                continue
            goal: dict[str, Any] = {}
            for name, part in item.items():
                path = f"{i}.{name}"
                if name not in allowed:
                    add(path, "This isn't part of a goal here.")
                    ok = False
                elif name == "horizon":
                    if part in (None, ""):
                        continue
                    if part not in field.horizons:
                        choices = " or ".join(f"{h}-term" for h in field.horizons)
                        add(path, f"Choose {choices}.")
                        ok = False
                    elif len(field.horizons) > 1:
                        goal["horizon"] = part  # with one horizon, the field already says it
                elif name == "target_date":
                    day = clean_date(part, add, path)
                    if day is None:
                        ok = False
                    elif day is not EMPTY:
                        goal[name] = day
                else:
                    text = clean_text(part, field.max_length, add, path)
                    if text is None:
                        ok = False
                    elif not blank(text):
                        goal[name] = text
            if set(goal) - {"horizon"}:
                if len(field.horizons) > 1 and "horizon" not in goal:
                    choices = " or ".join(f"{h}-term" for h in field.horizons)
                    add(f"{i}.horizon", f"Say whether this is a {choices} goal.")
                    ok = False
                cleaned.append(goal)
        if not ok or not within_count(cleaned, field, field.max_items, add):
            return EMPTY
        return cleaned or EMPTY

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
