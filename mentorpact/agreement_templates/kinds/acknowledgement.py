"""A clause its signers accept.

`accepted_by` names who accepts it (absent: every signer). The partners among them (mentor,
mentee) tick it in the draft, each their own box; the others (the program's coordinator, a
parent or guardian, any signer who does not edit the draft) accept it by signing: their
signing statement names it, so a draft never waits for a tick nobody can give."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator

from ..drawing import FieldView, FormContext, PrintField, capfirst, dict_value, person
from ..shape import (
    LIMIT_LONG,
    OPTIONAL,
    PARTIES,
    PARTNERS,
    FieldBase,
    Problems,
    Text,
    check_list,
    check_one_of,
    valid,
)
from .base import register
from .shared import Entries, KeyedKind

if TYPE_CHECKING:
    from ..schema import Field, Template


def check_accepted_by(value: Any) -> tuple[str, ...] | None:
    items = check_list(value, empty="name at least one signer, or leave accepted_by out")
    return None if items is None else tuple(items)


class AcknowledgementAttributes(FieldBase):
    statement: Annotated[
        str, Text(required=True, limit=LIMIT_LONG, why="the clause each signer accepts")
    ] = OPTIONAL
    # Who accepts it: signers' keys (and a partner who does not sign); absent: every signer.
    accepted_by: Annotated[
        tuple[str, ...] | None,
        BeforeValidator(check_accepted_by),
    ] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        if valid(check_one_of, d.get("party"), allowed=PARTIES, what="party") not in (
            None,
            "shared",
        ):
            found.add(
                ("party",),
                "every signer accepts an acknowledgement: party must be shared "
                "(say who accepts it with accepted_by)",
            )
        signers = context.get("signers")
        accepted_by = valid(check_accepted_by, d.get("accepted_by"))
        if signers is None or not accepted_by:
            return
        allowed = tuple(dict.fromkeys((*signers, *PARTNERS)))
        seen: list[str] = []
        for i, role in enumerate(accepted_by):
            if not isinstance(role, str) or role not in allowed:
                shown = f'"{role}"' if isinstance(role, str) else "that"
                found.add(
                    ("accepted_by", i),
                    f"{shown} is not one of the signers (expected one of: {', '.join(allowed)})",
                )
            elif role in seen:
                found.add(("accepted_by", i), f'"{role}" is listed twice')
            else:
                seen.append(role)


def accepters(field: Field, template: Template) -> tuple[str, ...]:
    """Who accepts this clause, in the signers' order."""
    named = field.attribute("accepted_by")
    if not named:
        return template.signers
    order = [*template.signers, *(r for r in PARTNERS if r not in template.signers)]
    return tuple(role for role in order if role in named)


def ticked_by(field: Field, template: Template) -> tuple[str, ...]:
    """The partners who tick it in the draft."""
    return tuple(role for role in accepters(field, template) if role in PARTNERS)


def accepted_on_signing(field: Field, template: Template) -> tuple[str, ...]:
    """The signers who accept it by signing (they do not edit the draft)."""
    return tuple(role for role in accepters(field, template) if role not in PARTNERS)


@register
class Acknowledgement(KeyedKind):
    """Each partner's own acceptance: a partner changes only theirs, and a continuation of
    the agreement starts with none (each accepts anew)."""

    name = "acknowledgement"
    position = 110
    Attributes = AcknowledgementAttributes
    expected = "Expected each signer's acceptance."
    form_template = "agreement_templates/kinds/acknowledgement_form.html"
    print_template = "agreement_templates/kinds/acknowledgement_print.html"
    carried_over = False

    def clean_entry(self, field: Field, key: Any, entry: Any, entries: Entries) -> bool:
        add, party, template = entries.add, entries.party, entries.template
        if not isinstance(key, str) or key not in ticked_by(field, template):
            if isinstance(key, str) and key in accepted_on_signing(field, template):
                add(key, f"The {template.role_noun(key)} accepts this by signing.")
            else:
                add(str(key), "Only the agreement's signers accept this.")
            return False
        if party is not None and key != party:
            add(key, f"Only the {template.role_noun(key)} can accept this.")
            return False
        if not isinstance(entry, bool):
            add(key, "Expected yes or no.")
            return False
        if entry:
            entries.cleaned[key] = True
        return True

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return all(value.get(role) is True for role in ticked_by(field, template))

    def missing(self, field: Field, value: Any, template: Template) -> str:
        waiting = [
            template.role_noun(role)
            for role in ticked_by(field, template)
            if not (value or {}).get(role)
        ]
        return "Waiting for the " + " and the ".join(waiting) + " to accept this."

    def text(self, field: Field, value: Any) -> str:
        roles = [role for role, accepted in value.items() if accepted]
        return "Accepted by the " + " and the ".join(roles) if roles else ""

    def merge(self, previous: Any, cleaned: Any, role: str) -> Any:
        others = {r: v for r, v in (previous or {}).items() if r != role}
        return {**others, **(cleaned or {})}

    def form(self, form: FormContext, field: Field, view: FieldView, value: Any) -> None:
        accepted = dict_value(value)
        template = form.template
        for role in ticked_by(field, template):
            who = person(role, form.names, template)
            label = (
                f"I accept this ({who})" if form.party == role else capfirst(f"{who} accepts this")
            )
            control = form.control(
                view,
                role,
                label=label,
                value="yes",
                checked=accepted.get(role) in (True, "yes", "on"),
                type="checkbox",
            )
            control.locked = form.disabled or not (form.party is None or role == form.party)
            view.controls.append(control)
        view.locked = all(c.locked for c in view.controls)
        on_signing = [template.role_noun(role) for role in accepted_on_signing(field, template)]
        if on_signing:
            view.note = capfirst(
                "the " + " and the ".join(on_signing) + " accept this by signing"
                if len(on_signing) > 1
                else f"the {on_signing[0]} accepts this by signing"
            )

    def posted_keys(self, field: Field, template: Template, party: str | None) -> list[str]:
        return [role for role in ticked_by(field, template) if party is None or role == party]

    def read_entry(self, posted: str) -> Any:
        return posted == "yes"

    def accepted_on_signing(self, field: Field, template: Template) -> tuple[str, ...]:
        return accepted_on_signing(field, template)

    def empty_is_filled(self, field: Field, template: Template) -> bool:
        # Accepted by the coordinator or an invited signer only: nothing to tick in the draft.
        return not ticked_by(field, template)

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        accepted = dict_value(value)
        printed.accepted = [
            (template.role_noun(role), accepted.get(role) is True)
            for role in ticked_by(field, template)
        ]
        printed.accepted_on_signing = [
            template.role_noun(role) for role in accepted_on_signing(field, template)
        ]
