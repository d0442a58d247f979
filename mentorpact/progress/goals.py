"""Which parts of a signed agreement become the mentee action plan (pure: no database).

The template format has no "this is a goal" marker, so the plan is read from field kinds,
the same way for every program:

- a `goals` field: each goal is one plan item, with its measure ("how will you know") and
  target date when the field asks for them, and its horizon (remote's short- and long-term
  goals are two such fields);
- a `list` field: each entry is one plan item (ASPE's and WHPRMS's three objectives);
- a `textarea` whose key is `goal` or ends in `_goal`/`_goals`: the whole text is one plan
  item (ASPE's and WHPRMS's "Goal:", RED's "overall goals that I hope to achieve as a
  mentee"); a mentor-only field (RED's mentor's own goals) is left out, because the plan is
  the mentee's;
- a `table` whose label speaks of committing ("We have identified, and will commit to, ...",
  WHPRMS's learning opportunities and venues): each row is a commitment, done or not yet.

Any other field stays in the agreement only. The owner of every item starts as the person the
agreement names in `rules.action_plan_owner_field` (RED) or else the mentee; the partners can
change it per item.
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from mentorpact.agreement_templates.schema import Field, Template

_GOAL_KEY = re.compile(r"(\A|_)goals?\Z")


@dataclass(frozen=True)
class GoalSource:
    key: str
    label: str
    goal: str
    measure: str = ""
    due_on: datetime.date | None = None
    horizon: str = ""


@dataclass(frozen=True)
class CommitmentSource:
    opportunity: str
    venue: str = ""


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _short(label: str) -> str:
    """A field label fit to name one item: "Objectives:" -> "Objectives"."""
    return label.strip().rstrip(":").strip()


def is_goal_field(field: Field) -> bool:
    if field.kind in ("goals", "list"):
        return field.party != "mentor"
    if field.kind == "textarea":
        return bool(_GOAL_KEY.search(field.key)) and field.party != "mentor"
    return False


def is_commitment_field(field: Field) -> bool:
    return field.kind == "table" and "commit" in field.label.lower()


def goal_sources(template: Template, content: dict[str, Any]) -> list[GoalSource]:
    """The agreement's goals in template order, one per future plan item."""
    out: list[GoalSource] = []
    for field in template.fields():
        if not is_goal_field(field):
            continue
        value = content.get(field.key)
        if not value:
            continue
        noun = (field.item_name or "goal").capitalize()
        if field.kind == "textarea":
            label = _short(field.label)
            out.append(
                GoalSource(field.key, label if 0 < len(label) <= 40 else noun, value.strip())
            )
        elif field.kind == "list":
            for i, text in enumerate(value, start=1):
                out.append(GoalSource(field.key, f"{noun} {i}", text))
        else:
            for i, goal in enumerate(value, start=1):
                horizon = goal.get("horizon") or (
                    field.horizons[0] if len(field.horizons) == 1 else ""
                )
                prefix = {"short": "Short-term ", "long": "Long-term "}.get(horizon, "")
                label = f"{prefix}{noun.lower()} {i}" if prefix else f"{noun} {i}"
                out.append(
                    GoalSource(
                        field.key,
                        label,
                        goal.get("goal", ""),
                        measure=goal.get("measure", ""),
                        due_on=_date(goal.get("target_date")),
                        horizon=horizon,
                    )
                )
    return out


def commitment_sources(template: Template, content: dict[str, Any]) -> list[CommitmentSource]:
    out: list[CommitmentSource] = []
    for field in template.fields():
        if not is_commitment_field(field):
            continue
        keys = [column.key for column in field.columns]
        for row in content.get(field.key) or []:
            texts = [str(row.get(key, "")).strip() for key in keys]
            opportunity = texts[0] if texts else ""
            venue = "; ".join(t for t in texts[1:] if t)
            if opportunity or venue:
                out.append(CommitmentSource(opportunity or venue, venue if opportunity else ""))
    return out


def default_owner(template: Template, content: dict[str, Any]) -> tuple[str, str]:
    """(owner, owner_name) for new plan items: the person the agreement names, or the mentee."""
    key = template.rules.action_plan_owner_field
    name = str(content.get(key) or "").strip() if key else ""
    return ("named", name) if name else ("mentee", "")
