"""The agreement's content seen through its template: which fields, who fills them in, the
hash a signature is bound to, and what changed between two contents.

Everything about the template format itself lives in agreement_templates (schema, values);
this module only adapts it to agreements.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from mentorpact.agreement_templates.models import TemplateVersion
from mentorpact.agreement_templates.rendering import date_text
from mentorpact.agreement_templates.rules import effective_template
from mentorpact.agreement_templates.schema import (
    Field,
    Template,
)
from mentorpact.agreement_templates.values import canonical_json


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


def _option_label(field: Field, key: str, other_label: str | None = None) -> str:
    if key == "other":
        base = field.other_label or "Other"
        return f"{base}: {other_label}" if other_label else base
    return next((o.label for o in field.options if o.key == key), key)


def value_text(field: Field, value: Any) -> str:
    """A field's cleaned value as plain text (lines separated by newlines); '' when empty."""
    if _empty(value):
        return ""
    kind = field.kind
    if kind == "number":
        return f"{value} {field.unit}" if field.unit else str(value)
    if kind == "date":
        return date_text(value)
    if kind == "list":
        return "\n".join(f"• {item}" for item in value)
    if kind == "goals":
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
    if kind == "counts":
        items = [
            f"{_option_label(field, key, value.get('other_label'))}: {count}"
            for key, count in value.items()
            if key != "other_label"
        ]
        return ", ".join(items)
    if kind == "choice":
        if isinstance(value, dict):
            return _option_label(field, value["choice"], value.get("other_label"))
        return _option_label(field, value)
    if kind == "multichoice":
        keys = value["choices"] if isinstance(value, dict) else value
        other = value.get("other_label") if isinstance(value, dict) else None
        return ", ".join(_option_label(field, key, other) for key in keys)
    if kind == "table":
        labels = {column.key: column for column in field.columns}
        rows = []
        for row in value:
            cells = []
            for key, cell in row.items():
                column = labels.get(key)
                text = date_text(cell) if column and column.kind == "date" else str(cell)
                cells.append(f"{column.label if column else key}: {text}")
            rows.append("• " + "; ".join(cells))
        return "\n".join(rows)
    if kind == "acknowledgement":
        roles = [role for role, accepted in value.items() if accepted]
        return "Accepted by the " + " and the ".join(roles) if roles else ""
    return str(value)


def event_text(event, template: Template | None) -> str:
    """One history line for an event, from its kind and non-confidential detail."""
    detail, kind = event.detail or {}, event.kind
    if kind == "drafted":
        return f"Drafted from the template {detail.get('template', '')}".strip()
    if kind == "edited":
        labels = field_labels(template, detail.get("fields", [])) if template else []
        return "Changed " + ", ".join(f"“{label}”" for label in labels) if labels else "Edited"
    if kind == "signed":
        late = " (after the due date)" if detail.get("late") else ""
        return f"Signed as the {detail.get('role', 'signer')}{late}"
    if kind == "signature_voided":
        return (
            f"The {detail.get('role', 'signer')}'s signature ({detail.get('signer', '')}) was "
            f"voided by an edit; the edit became version {detail.get('new_version', '?')}"
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
        program = " and the program" if detail.get("program") else ""
        return f"Signed PDF emailed to both partners{coordinator}{program}"
    return event.get_kind_display()
