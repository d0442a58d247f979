"""The agreement's content seen through its template: which fields, who fills them in, the
hash a signature is bound to, and what changed between two contents.

Everything about the template format itself lives in agreement_templates (schema, values);
this module only adapts it to agreements.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mentorpact.agreement_templates.models import TemplateVersion
from mentorpact.agreement_templates.schema import Field, Template, TemplateError
from mentorpact.agreement_templates.values import canonical_json


@lru_cache(maxsize=256)
def _template_from_definition(definition_json: str) -> Template:
    return Template.from_dict(json.loads(definition_json))


def template_of(template_version: TemplateVersion) -> Template:
    """The validated template of a stored version (cached by its definition)."""
    return _template_from_definition(json.dumps(template_version.definition, sort_keys=True))


def template_for_program(template_version: TemplateVersion, program) -> Template:
    """The template with the program's rule overrides (Program.rules) applied, when valid."""
    template = template_of(template_version)
    if not program.rules:
        return template
    data = template.to_dict()
    data["rules"] = {**data.get("rules", {}), **program.rules}
    try:
        return Template.from_dict(data)
    except TemplateError:
        # An override the template cannot take (checked where programs are edited) must not
        # stop an agreement from being read or signed: the template's own rules apply.
        return template


def return_address(template: Template, program) -> str:
    if template.rules.distribution != "program":
        return ""
    return template.rules.return_address or program.return_address or ""


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
