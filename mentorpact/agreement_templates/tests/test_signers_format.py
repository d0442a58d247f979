"""The format's `roles`, `signers` and an acknowledgement's `accepted_by` (docs/templates.md,
"Who signs"): the documented example loads as it says, and each problem is reported by line."""

import re
from pathlib import Path

import pytest

from mentorpact.agreement_templates.schema import (
    ExtraSigner,
    Template,
    TemplateError,
    load_template,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "templates.md"

HEAD = "format: 1\nslug: school\ntitle: School Mentoring Agreement\n"
RULES = "rules: {distribution: pair}\n"


def documented_example() -> str:
    section = DOCS.read_text().split("## Who signs", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert match, "docs/templates.md has no YAML example under Who signs"
    return match.group(1)


def errors_of(text: str) -> list[str]:
    with pytest.raises(TemplateError) as error:
        load_template(text, filename="t.yaml")
    return error.value.errors


def test_the_documented_example_loads_as_the_docs_say():
    template = load_template(HEAD + RULES + documented_example())

    assert template.signers == ("mentee", "mentor", "guardian", "coordinator")
    assert template.extra_signers == (ExtraSigner("guardian", "Parent or guardian", "mentee"),)
    assert template.role_label("mentee") == "Student"
    assert template.role_noun("mentee") == "student"
    assert template.role_noun("guardian") == "parent or guardian"
    assert template.role_label("coordinator") == "Coordinator"
    assert template.field("photos").attribute("accepted_by") == ("guardian",)
    assert template.field("conduct").attribute("accepted_by") is None


def test_it_round_trips_and_a_form_without_them_keeps_its_stored_shape():
    template = load_template(HEAD + RULES + documented_example())
    assert Template.from_dict(template.to_dict()) == template

    plain = load_template(HEAD + RULES + "signers: [mentor, mentee]\n" + SECTION)
    assert "roles" not in plain.to_dict()  # the built-in forms hash exactly as before
    assert plain.to_dict()["signers"] == ["mentor", "mentee"]


SECTION = """sections:
  - key: a
    blocks:
      - key: ok
        kind: acknowledgement
        label: OK
        statement: We agree.
"""


def test_an_acknowledgement_names_only_signers_or_partners():
    text = HEAD + RULES + "signers: [mentor]\n" + SECTION + "        accepted_by: [principal]\n"

    assert errors_of(text) == [
        't.yaml:13: sections[0].blocks[0].accepted_by[0]: "principal" is not one of the signers '
        "(expected one of: mentor, mentee)"
    ]


def test_an_extra_signer_needs_a_label_and_who_names_them():
    text = HEAD + RULES + "signers:\n  - mentor\n  - {key: guardian}\n" + SECTION

    assert errors_of(text) == [
        "t.yaml:7: signers[1].label: missing (how the form names this signer)",
        "t.yaml:7: signers[1].named_by: missing (the partner who gives this signer's name and "
        "email: mentee or mentor)",
    ]


def test_a_built_in_role_is_not_an_extra_signer():
    text = (
        HEAD + RULES + "signers:\n  - mentor\n  - {key: mentee, label: Kid, named_by: mentor}\n"
    ) + SECTION

    assert errors_of(text) == [
        't.yaml:7: signers[1].key: "mentee" is one of the built-in roles: list it as `- mentee` '
        "(rename it under roles)"
    ]


def test_an_unknown_role_to_rename_is_refused():
    text = HEAD + "roles: {mentees: Student}\n" + RULES + "signers: [mentor, mentee]\n" + SECTION

    assert errors_of(text) == [
        't.yaml:4: roles.mentees: unknown role "mentees" (expected one of: mentor, mentee, '
        "coordinator)"
    ]


def test_at_most_three_extra_signers():
    extras = "".join(f"  - {{key: s{i}, label: S{i}, named_by: mentee}}\n" for i in range(4))
    text = HEAD + RULES + "signers:\n  - mentee\n" + extras + SECTION

    assert errors_of(text) == ["t.yaml:10: signers[4]: at most 3 signers beyond the built-in roles"]
