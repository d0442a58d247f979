"""Which parts of a signed agreement become the mentee action plan (pure: no database).

The form says it: a field with `plan: goal` or `plan: commitment` (docs/templates.md "What
the form says it is for"), and each field's kind says what its value then gives the plan
(`Kind.plan_goals` and `Kind.plan_commitments`, in agreement_templates/kinds/):

- a `goals` field: each goal is one plan item, with its measure ("how will you know") and
  target date when the field asks for them, and its horizon (remote's short- and long-term
  goals are two such fields);
- a `list` field: each entry is one plan item (ASPE's and WHPRMS's three objectives);
- a `textarea`: the whole text is one plan item (ASPE's and WHPRMS's "Goal:", RED's "overall
  goals that I hope to achieve as a mentee");
- a `table` with `plan: commitment` (WHPRMS's learning opportunities and venues): each row is
  a commitment, done or not yet.

A field without `plan` stays in the agreement only, whatever its key or label. A mentor-only
field's goals (RED's mentor's own goals) are left out, because the plan is the mentee's. The
owner of every item starts as the person the agreement names in
`rules.action_plan_owner_field` (RED) or else the mentee; the partners can change it per item.
"""

from typing import Any

from mentorpact.agreement_templates.kinds import kind_of
from mentorpact.agreement_templates.kinds.base import PlanCommitment, PlanGoal
from mentorpact.agreement_templates.schema import Template

GoalSource = PlanGoal  # one goal: key, label, goal, measure, due_on, horizon
CommitmentSource = PlanCommitment  # one commitment: opportunity, venue


def goal_sources(template: Template, content: dict[str, Any]) -> list[GoalSource]:
    """The agreement's goals in template order, one per future plan item."""
    out: list[GoalSource] = []
    for field in template.fields():
        value = content.get(field.key)
        if value and field.party != "mentor":
            out += kind_of(field).plan_goals(field, value)
    return out


def commitment_sources(template: Template, content: dict[str, Any]) -> list[CommitmentSource]:
    out: list[CommitmentSource] = []
    for field in template.fields():
        value = content.get(field.key)
        if value:
            out += kind_of(field).plan_commitments(field, value)
    return out


def default_owner(template: Template, content: dict[str, Any]) -> tuple[str, str]:
    """(owner, owner_name) for new plan items: the person the agreement names, or the mentee."""
    key = template.rules.action_plan_owner_field
    name = str(content.get(key) or "").strip() if key else ""
    return ("named", name) if name else ("mentee", "")
