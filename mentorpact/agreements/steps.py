"""The draft as steps (issue 13 item 5): one step per section of the template, each with its
state for the person filling it in, read from the draft's saved values and the template's
required fields (`values.incomplete`, what stops signing):

- complete: nothing in the section is still needed before signing, from anyone, and it is
  not an untouched optional section (optional fields may be empty once something in the
  section is saved; a section with nothing to fill in is complete);
- not started: none of the fields this person fills in has a saved value yet, and either
  something in it is still needed from them or every field in it is optional (`optional`:
  it does not stop signing);
- in progress: something is still needed from this person, and some of their fields are
  saved;
- waiting for the partner: this person has done their part, and the other partner still
  has to fill in fields that are theirs (or accept an acknowledgement), named in
  `partner_to_do`.

"This person's fields" are the shared ones and their own party's; an acknowledgement is
theirs to accept and their partner's to accept (each signer accepts it for themselves).
Pure: no queries, so the task list, the step pages and the sign page's "Change" links
read the same answer.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from mentorpact.agreement_templates.schema import Field, Section, Template
from mentorpact.agreement_templates.values import incomplete

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
WAITING = "waiting"

LABELS = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    COMPLETE: "Complete",
    WAITING: "Waiting for your partner",
}

PARTNERS = ("mentor", "mentee")


def _named(label: str) -> str:
    """A field's label as an item of a list: the form's own trailing colon dropped ("Mentor
    Name:" reads "Mentor Name")."""
    return label.strip().rstrip(":").strip() or label


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, in the template's order
    key: str  # the section's key: the step's URL
    heading: str
    state: str
    to_do: tuple[str, ...]  # labels of what this person still has to fill in
    partner_to_do: tuple[str, ...]  # labels of what the partner still has to fill in
    fillable: bool  # the section has fields this person fills in
    has_fields: bool
    optional: bool  # it has fields, none of them needed before signing

    @property
    def state_label(self) -> str:
        return LABELS[self.state]


def _is_acknowledgement(field: Field) -> bool:
    return field.kind == "acknowledgement"


def _accepted(value: Any, role: str) -> bool:
    return isinstance(value, dict) and value.get(role) is True


def _has_value(value: Any) -> bool:
    return value not in (None, "", [], {})


def heading_of(section: Section, number: int) -> str:
    return section.heading or f"Section {number}"


def steps_of(
    template: Template, content: dict[str, Any], role: str, *, today: datetime.date | None
) -> list[Step]:
    """Every section of the draft as a step, for `role` ("mentor" or "mentee")."""
    partner = next(r for r in PARTNERS if r != role)
    problems = incomplete(template, content, today=today)
    steps = []
    for number, section in enumerate(template.sections, start=1):
        fields = [block for block in section.blocks if isinstance(block, Field)]
        to_do, partner_to_do, started = [], [], False
        for field in fields:
            value = content.get(field.key)
            if _is_acknowledgement(field):
                started = started or _accepted(value, role)
                if field.required and not _accepted(value, role):
                    to_do.append(_named(field.label))
                if field.required and partner in template.signers and not _accepted(value, partner):
                    partner_to_do.append(_named(field.label))
                continue
            mine = field.party in ("shared", role)
            if mine:
                started = started or _has_value(value)
            if field.key in problems:
                (to_do if mine else partner_to_do).append(_named(field.label))
        optional = bool(fields) and not any(f.required for f in fields)
        if to_do or (optional and not started and not partner_to_do):
            state = IN_PROGRESS if started else NOT_STARTED
        elif partner_to_do:
            state = WAITING
        else:
            state = COMPLETE
        steps.append(
            Step(
                number=number,
                key=section.key,
                heading=heading_of(section, number),
                state=state,
                to_do=tuple(to_do),
                partner_to_do=tuple(partner_to_do),
                fillable=any(f.party in ("shared", role) for f in fields),
                has_fields=bool(fields),
                optional=optional,
            )
        )
    return steps


def section_keys(section: Section) -> set[str]:
    return {block.key for block in section.blocks if isinstance(block, Field)}
