"""The agreement's content seen through its template: which fields, who fills them in, the
hash a signature is bound to, and what changed between two contents.

Everything about the template format itself lives in agreement_templates (schema, values);
this module only adapts it to agreements.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from mentorpact.agreement_templates.kinds import kind_of
from mentorpact.agreement_templates.models import TemplateVersion
from mentorpact.agreement_templates.rules import effective_template
from mentorpact.agreement_templates.schema import (
    Field,
    Template,
)
from mentorpact.agreement_templates.values import canonical_json
from mentorpact.agreements.models import AgreementAction


def template_of(template_version: TemplateVersion) -> Template:
    """The validated template of a stored version, exactly as the partners fill it in."""
    return template_version.as_template()


def template_for_program(template_version: TemplateVersion, program) -> Template:
    """The template with the program's rule overrides (due date, return address...)."""
    return effective_template(template_version.as_template(), program)


def return_address(template: Template) -> str:
    """Where a signed agreement is emailed besides the partners ('' when it stays with them)."""
    if template.rules.distribution != "program":
        return ""
    return template.rules.return_address or ""


def content_sha256(template: Template, content: dict[str, Any]) -> str:
    """What a signature is bound to: SHA-256 of the canonical JSON of the exact content."""
    return hashlib.sha256(canonical_json(template, content).encode("utf-8")).hexdigest()


def editable_keys(template: Template, role: str) -> set[str]:
    """The fields this party may fill in: the shared ones and their own."""
    return {f.key for f in template.fields() if f.party in ("shared", role)}


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    party: str
    before: Any
    after: Any


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def changes_between(
    template: Template, before: dict[str, Any], after: dict[str, Any]
) -> list[FieldChange]:
    """The fields whose value differs, in the template's order (empty and missing are equal)."""
    out = []
    for field in template.fields():
        old, new = before.get(field.key), after.get(field.key)
        if _empty(old) and _empty(new):
            continue
        if old != new:
            out.append(FieldChange(field.key, field.label, field.party, old, new))
    return out


def field_labels(template: Template, keys: list[str]) -> list[str]:
    by_key: dict[str, Field] = {f.key: f for f in template.fields()}
    return [by_key[k].label for k in keys if k in by_key]


# --- Reading values as text (history diffs, messages, the PDF) -------------------------------


def value_text(field: Field, value: Any) -> str:
    """A field's cleaned value as plain text (lines separated by newlines); '' when empty.
    Each kind says how its values read (agreement_templates/kinds/<kind>.py)."""
    if _empty(value):
        return ""
    return kind_of(field).text(field, value)


def _role(template: Template | None, role: str | None) -> str:
    """A role as the template names it in a sentence ("student"), or as recorded."""
    if not role:
        return "signer"
    return template.role_noun(role) if template is not None else role


def event_text(event, template: Template | None) -> str:
    """One history line for an event, from its kind and non-confidential detail."""
    detail, kind = event.details or {}, event.kind
    if kind == "drafted":
        return f"Drafted from the template {detail.get('template', '')}".strip()
    if kind == "edited":
        labels = field_labels(template, detail.get("fields", [])) if template else []
        return "Changed " + ", ".join(f"“{label}”" for label in labels) if labels else "Edited"
    if kind == "signed":
        late = " (after the due date)" if detail.get("late") else ""
        return f"Signed as the {_role(template, detail.get('role'))}{late}"
    if kind == "signer_named":
        again = "named anew" if detail.get("again") else "named"
        return f"The {_role(template, detail.get('role'))} {again} and invited to sign"
    if kind == "signature_voided":
        return (
            f"The {_role(template, detail.get('role'))}'s signature "
            f"({detail.get('signer', '')}) was voided by an edit; the edit became version "
            f"{detail.get('new_version', '?')}"
        )
    if kind == "in_effect":
        what = "Amendment" if detail.get("amendment") else "Agreement"
        return f"{what} in effect: version {detail.get('number', '?')}, signed by everyone"
    if kind == "amendment_proposed":
        return f"Amendment proposed to version {detail.get('amends', '?')}"
    if kind == "pdf_downloaded":
        which = "signed" if detail.get("signed") else "draft"
        return f"PDF of version {detail.get('number', '?')} ({which}) downloaded"
    if kind == "pdf_sealed":
        return "Signed PDF sealed by this installation"
    if kind == "emailed":
        coordinator = ", the coordinator who signed" if detail.get("coordinator") else ""
        invited = "".join(f", the {_role(template, role)}" for role in detail.get("invited", []))
        program = " and the program" if detail.get("program") else ""
        return f"Signed PDF emailed to both partners{coordinator}{invited}{program}"
    return AgreementAction(event.action).label
