"""A clause every signer accepts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from ..shape import LIMIT_LONG, OPTIONAL, PARTIES, FieldBase, Problems, Text, check_one_of, valid
from .base import EMPTY, Add, Kind, register

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
class Acknowledgement(Kind):
    name = "acknowledgement"
    position = 110
    one_input = False
    Attributes = AcknowledgementAttributes

    def clean(
        self, field: Field, value: Any, add: Add, template: Template, party: str | None
    ) -> Any:
        if value is None or value == {}:
            return EMPTY
        if not isinstance(value, dict):
            add("", "Expected each signer's acceptance.")
            return EMPTY
        cleaned: dict[str, bool] = {}
        ok = True
        for role, accepted in value.items():
            if not isinstance(role, str) or role not in template.signers:
                add(str(role), "Only the agreement's signers accept this.")
                ok = False
            elif party is not None and role != party:
                add(role, f"Only the {role} can accept this.")
                ok = False
            elif not isinstance(accepted, bool):
                add(role, "Expected yes or no.")
                ok = False
            elif accepted:
                cleaned[role] = True
        if not ok:
            return EMPTY
        return cleaned or EMPTY

    def is_filled(self, field: Field, value: Any, template: Template) -> bool:
        return all(value.get(role) is True for role in template.signers)

    def missing(self, field: Field, value: Any, template: Template) -> str:
        waiting = [role for role in template.signers if not (value or {}).get(role)]
        return "Waiting for the " + " and the ".join(waiting) + " to accept this."

    def text(self, field: Field, value: Any) -> str:
        roles = [role for role, accepted in value.items() if accepted]
        return "Accepted by the " + " and the ".join(roles) if roles else ""
