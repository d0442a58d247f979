"""A clause every signer accepts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from ..drawing import FieldView, FormContext, PrintField, capfirst, dict_value, person
from ..shape import LIMIT_LONG, OPTIONAL, PARTIES, FieldBase, Problems, Text, check_one_of, valid
from .base import register
from .shared import Entries, KeyedKind

if TYPE_CHECKING:
    from ..schema import Field, Template


class AcknowledgementAttributes(FieldBase):
    statement: Annotated[
        str, Text(required=True, limit=LIMIT_LONG, why="the clause each signer accepts")
    ] = OPTIONAL

    @classmethod
    def check_raw(cls, d: dict[str, Any], found: Problems, context: dict[str, Any]) -> None:
        if valid(check_one_of, d.get("party"), allowed=PARTIES, what="party") not in (
            None,
            "shared",
        ):
            found.add(("party",), "every signer accepts an acknowledgement: party must be shared")


@register
class Acknowledgement(KeyedKind):
    """Each signer's own acceptance: a signer changes only theirs, and a continuation of the
    agreement starts with none (each accepts anew)."""

    name = "acknowledgement"
    position = 110
    Attributes = AcknowledgementAttributes
    expected = "Expected each signer's acceptance."
    form_template = "agreement_templates/kinds/acknowledgement_form.html"
    print_template = "agreement_templates/kinds/acknowledgement_print.html"
    carried_over = False

    def clean_entry(self, field: Field, key: Any, entry: Any, entries: Entries) -> bool:
        add, party = entries.add, entries.party
        if not isinstance(key, str) or key not in entries.template.signers:
            add(str(key), "Only the agreement's signers accept this.")
            return False
        if party is not None and key != party:
            add(key, f"Only the {key} can accept this.")
            return False
        if not isinstance(entry, bool):
            add(key, "Expected yes or no.")
            return False
        if entry:
            entries.cleaned[key] = True
        return True

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return all(value.get(role) is True for role in template.signers)

    def missing(self, field: Field, value: Any, template: Template) -> str:
        waiting = [role for role in template.signers if not (value or {}).get(role)]
        return "Waiting for the " + " and the ".join(waiting) + " to accept this."

    def text(self, field: Field, value: Any) -> str:
        roles = [role for role, accepted in value.items() if accepted]
        return "Accepted by the " + " and the ".join(roles) if roles else ""

    def merge(self, previous: Any, cleaned: Any, role: str) -> Any:
        others = {r: v for r, v in (previous or {}).items() if r != role}
        return {**others, **(cleaned or {})}

    def form(self, form: FormContext, field: Field, view: FieldView, value: Any) -> None:
        accepted = dict_value(value)
        for role in form.template.signers:
            who = person(role, form.names)
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

    def posted_keys(self, field: Field, template: Template, party: str | None) -> list[str]:
        return [role for role in template.signers if party is None or role == party]

    def read_entry(self, posted: str) -> Any:
        return posted == "yes"

    def print(self, printed: PrintField, field: Field, value: Any, template: Template) -> None:
        accepted = dict_value(value)
        printed.accepted = [(role, accepted.get(role) is True) for role in template.signers]
