import datetime
import json
from pathlib import Path

import pytest

from mentorpact.agreement_templates.schema import (
    FIELD_KINDS,
    MAX_TEMPLATE_CHARS,
    Bullets,
    Contact,
    Deadline,
    Field,
    Option,
    Paragraph,
    Rules,
    Signatures,
    Template,
    TemplateError,
    builtin_templates,
    load_template,
)

# Line numbers in the tests below count from this text: line 10 is "- key: goal", line 11 its
# kind, line 12 its label.
MINIMAL = """\
format: 1
slug: minimal
title: A minimal agreement
signers: [mentor, mentee]
rules:
  distribution: pair
sections:
  - key: goals
    blocks:
      - key: goal
        kind: text
        label: Our goal
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        load_template(text, filename="t.yaml")
    assert caught.value.errors, "a TemplateError must say what is wrong"
    assert str(caught.value) == "\n".join(caught.value.errors)
    return caught.value.errors


def with_field(*lines: str) -> str:
    """MINIMAL with a second field, written from line 13 on."""
    return MINIMAL + "".join(f"      {line}\n" for line in lines)


def with_rules(*lines: str) -> str:
    """MINIMAL with extra rules, written from line 7 on (the sections move down)."""
    head, tail = MINIMAL.split("sections:\n")
    return head + "".join(f"  {line}\n" for line in lines) + "sections:\n" + tail


# -- what loads


def test_a_minimal_template_loads():
    template = load_template(MINIMAL)

    assert template.slug == "minimal"
    assert template.title == "A minimal agreement"
    assert template.signers == ("mentor", "mentee")
    assert template.rules == Rules(distribution="pair")
    assert template.fields() == [
        Field(key="goal", kind="text", label="Our goal", max_length=200),
    ]
    assert template.field("goal").party == "shared"


def test_field_looks_up_by_key_and_refuses_an_unknown_key():
    template = load_template(MINIMAL)

    with pytest.raises(KeyError):
        template.field("nope")


def test_blocks_keep_their_order_and_kinds():
    template = load_template(
        MINIMAL
        + "      - text: Read this first.\n"
        + "      - bullets: [one, two]\n"
        + "        numbered: true\n"
        + "      - signatures: {print_name: true}\n"
    )

    assert template.sections[0].blocks[1:] == (
        Paragraph("Read this first."),
        Bullets(("one", "two"), numbered=True),
        Signatures(print_name=True),
    )
    assert template.texts() == ["A minimal agreement", "Our goal", "Read this first.", "one", "two"]


def test_every_kind_loads_with_its_defaults_filled_in():
    template = load_template(
        with_field(
            "- {key: a, kind: textarea, label: A}",
            "- {key: b, kind: list, label: B}",
            "- {key: c, kind: goals, label: C, horizon: short}",
            "- {key: d, kind: number, label: D, unit: months, min: 1, max: 24}",
            "- {key: e, kind: counts, label: E, options: [{key: phone, label: by phone}],"
            " other: true}",
            "- {key: f, kind: choice, label: F, options: [{key: x, label: X}]}",
            "- {key: g, kind: multichoice, label: G, options: [{key: x, label: X}]}",
            "- {key: h, kind: date, label: H}",
            "- {key: i, kind: table, label: I, columns: [{key: when, label: When, kind: date},"
            " {key: what, label: What}]}",
            "- {key: j, kind: acknowledgement, label: J, statement: We agree.}",
            "- {key: k, kind: person, label: K}",
        )
    )

    kinds = [f.kind for f in template.fields()]
    assert sorted(kinds) == sorted(FIELD_KINDS)
    assert template.field("a").max_length == 5000
    assert template.field("b").max_length == 500
    assert template.field("b").item_name == "item"
    goals = template.field("c")
    assert goals.parts == ("goal", "measure", "target_date")
    assert goals.horizons == ("short",)
    assert goals.measure_label == "How will you know you have achieved it?"
    assert template.field("e").options == (Option("phone", "by phone"),)
    assert template.field("e").option_keys() == ("phone", "other")
    assert template.field("e").other_label == "Other (specify)"
    assert [c.max_length for c in template.field("i").columns] == [None, 200]
    assert template.field("j").statement == "We agree."


def test_to_dict_is_plain_data_and_from_dict_gives_the_same_template():
    for slug, source in builtin_templates().items():
        template = load_template(source)
        data = template.to_dict()

        assert json.loads(json.dumps(data)) == data, slug
        assert Template.from_dict(data) == template, slug


def test_to_dict_keeps_dates_and_deadlines():
    template = load_template(with_rules('agreement_due: {date: "2027-02-23"}'))

    data = template.to_dict()

    assert data["rules"]["agreement_due"] == {"date": "2027-02-23"}
    assert Template.from_dict(data).rules.agreement_due == Deadline(date=datetime.date(2027, 2, 23))


def test_from_dict_validates_again():
    data = load_template(MINIMAL).to_dict()
    data["sections"][0]["blocks"][0]["kind"] = "txt"

    with pytest.raises(TemplateError) as caught:
        Template.from_dict(data)

    assert caught.value.errors[0].startswith(
        '<stored template>: sections[0].blocks[0].kind: unknown kind "txt"'
    )


def test_builtin_templates_are_the_five_seed_forms_by_slug():
    sources = builtin_templates()

    assert sorted(sources) == [
        "aspe-partnership",
        "red-peer-mentoring",
        "remote-planning",
        "university-pilot",
        "whprms-partnership",
    ]
    for slug, source in sources.items():
        assert load_template(source).slug == slug


# -- due dates


def test_a_month_day_deadline_falls_on_the_next_such_day():
    rules = Rules(distribution="pair", agreement_due=Deadline(month_day="02-23"))

    assert rules.due_date(datetime.date(2027, 1, 10)) == datetime.date(2027, 2, 23)
    assert rules.due_date(datetime.date(2027, 2, 23)) == datetime.date(2027, 2, 23)
    assert rules.due_date(datetime.date(2027, 2, 24)) == datetime.date(2028, 2, 23)
    assert rules.due_date(None) is None


def test_a_days_after_kickoff_deadline_counts_from_the_kickoff():
    rules = Rules(distribution="pair", agreement_due=Deadline(days_after_kickoff=28))

    assert rules.due_date(datetime.date(2027, 2, 1)) == datetime.date(2027, 3, 1)
    assert rules.due_date(None) is None


def test_a_fixed_deadline_is_the_same_whatever_the_kickoff():
    rules = Rules(distribution="pair", agreement_due=Deadline(date=datetime.date(2027, 2, 23)))

    assert rules.due_date(datetime.date(2026, 9, 1)) == datetime.date(2027, 2, 23)
    assert rules.due_date(None) == datetime.date(2027, 2, 23)


def test_no_deadline_means_no_due_date():
    assert Rules(distribution="pair").due_date(datetime.date(2027, 1, 1)) is None


def test_rules_load_into_typed_attributes():
    template = load_template(
        with_rules(
            "agreement_due: {month_day: '02-23'}",
            "min_contact: {times: 1, per: month}",
            "min_meetings: 3",
            "midpoint_check: true",
        )
    )

    assert template.rules.agreement_due == Deadline(month_day="02-23")
    assert template.rules.min_contact == Contact(times=1, per="month")
    assert template.rules.min_meetings == 3
    assert template.rules.midpoint_check is True
    assert template.rules.first_meeting_within_weeks is None


# -- what is refused, and how it is reported


def test_a_yaml_syntax_error_names_its_line():
    errors = errors_of(MINIMAL.replace("label: Our goal", "label: [Our goal"))

    assert len(errors) == 1
    assert errors[0].startswith("t.yaml:12: YAML syntax error:")


def test_tab_indentation_is_explained():
    errors = errors_of("format: 1\nrules:\n\tdistribution: pair\n")

    assert errors[0].startswith("t.yaml:3: YAML syntax error:")
    assert "use spaces" in errors[0]


def test_an_unknown_format_version_is_refused_before_anything_else():
    errors = errors_of(MINIMAL.replace("format: 1", "format: 2").replace("kind: text", "kind: x"))

    assert errors == [
        "t.yaml:1: format: unknown format version 2 (this version of Mentorpact reads format 1)"
    ]


def test_a_missing_format_is_refused():
    errors = errors_of(MINIMAL.replace("format: 1\n", ""))

    assert errors == ["t.yaml: format: missing (start the template with `format: 1`)"]


def test_an_unknown_field_kind_lists_the_known_kinds():
    errors = errors_of(MINIMAL.replace("kind: text", "kind: txt"))

    assert errors == [
        't.yaml:11: sections[0].blocks[0].kind: unknown kind "txt" (expected one of: text, '
        "textarea, list, goals, number, counts, choice, multichoice, date, table, "
        "acknowledgement, person)"
    ]


def test_a_field_of_unknown_kind_still_has_its_other_attributes_checked():
    errors = errors_of(
        MINIMAL.replace("kind: text", "kind: txt").replace("label: Our goal", "party: x")
    )

    assert [e.split(": ")[1] for e in errors] == [
        "sections[0].blocks[0].kind",
        "sections[0].blocks[0].label",
        "sections[0].blocks[0].party",
    ]


def test_a_duplicate_yaml_key_names_both_lines():
    errors = errors_of(MINIMAL + "title: Another title\n")

    assert errors == ['t.yaml:13: title: duplicate key "title" (first given on line 3)']


def test_a_duplicate_field_key_names_the_first_use():
    errors = errors_of(with_field("- key: goal", "  kind: textarea", "  label: Goal again"))

    assert errors == [
        't.yaml:13: sections[0].blocks[1].key: duplicate field key "goal" '
        "(also used at sections[0].blocks[0])"
    ]


def test_a_duplicate_field_key_is_found_even_in_a_field_with_other_errors():
    errors = errors_of(with_field("- key: goal", "  kind: textarea", "  lable: Goal again"))

    assert any("duplicate field key" in e for e in errors)
    assert any('unknown attribute "lable"' in e for e in errors)


def test_a_missing_label_is_refused():
    errors = errors_of(MINIMAL.replace("        label: Our goal\n", ""))

    assert errors == ["t.yaml:10: sections[0].blocks[0].label: missing (every field needs a label)"]


def test_an_empty_label_is_refused():
    errors = errors_of(MINIMAL.replace("label: Our goal", 'label: "  "'))

    assert errors == ["t.yaml:12: sections[0].blocks[0].label: must not be empty"]


def test_a_misspelt_attribute_is_caught_with_a_suggestion():
    errors = errors_of(MINIMAL.replace("label: Our goal", "lable: Our goal"))

    assert 't.yaml:12: sections[0].blocks[0].lable: unknown attribute "lable" ' in errors[0]
    assert '(did you mean "label"?)' in errors[0]


def test_unknown_attributes_are_caught_at_every_level():
    text = MINIMAL.replace("title:", "titel:").replace(
        "  - key: goals", "  - key: goals\n    headng: x"
    )
    errors = errors_of(with_rules("distrbution: pair").replace("titel", "titel"))
    errors += errors_of(text)

    assert any('rules.distrbution: unknown attribute "distrbution"' in e for e in errors)
    assert any('titel: unknown attribute "titel" (did you mean "title"?)' in e for e in errors)
    assert any('sections[0].headng: unknown attribute "headng"' in e for e in errors)


def test_an_attribute_of_another_kind_is_named_as_such():
    errors = errors_of(with_field("- {key: notes, kind: text, label: Notes, min_items: 2}"))

    assert errors == [
        't.yaml:13: sections[0].blocks[1].min_items: "min_items" does not apply to a text field'
    ]


def test_min_items_above_max_items_is_refused():
    errors = errors_of(
        with_field("- {key: objectives, kind: list, label: Objectives, min_items: 4, max_items: 3}")
    )

    assert errors == [
        "t.yaml:13: sections[0].blocks[1].min_items: min_items (4) is above max_items (3)"
    ]


def test_min_above_max_is_refused_for_numbers_rows_and_months():
    errors = errors_of(
        with_field(
            "- {key: months, kind: number, label: Months, min: 12, max: 6}",
            "- {key: places, kind: table, label: Places, columns: [{key: a, label: A}],"
            " min_rows: 3, max_rows: 1}",
        )
    )
    errors += errors_of(with_rules("duration: {min_months: 12, max_months: 6}"))

    assert errors == [
        "t.yaml:13: sections[0].blocks[1].min: min (12) is above max (6)",
        "t.yaml:14: sections[0].blocks[2].min_rows: min_rows (3) is above max_rows (1)",
        "t.yaml:7: rules.duration.min_months: min_months (12) is above max_months (6)",
    ]


def test_negative_numbers_are_refused_where_they_cannot_be():
    errors = errors_of(with_field("- {key: notes, kind: textarea, label: Notes, max_length: -5}"))
    errors += errors_of(with_rules("agreement_due: {days_after_kickoff: -1}"))
    errors += errors_of(with_rules("first_meeting_within_weeks: 0"))

    assert errors == [
        "t.yaml:13: sections[0].blocks[1].max_length: must be at least 1 (got -5)",
        "t.yaml:7: rules.agreement_due.days_after_kickoff: must be at least 0 (got -1)",
        "t.yaml:7: rules.first_meeting_within_weeks: must be at least 1 (got 0)",
    ]


def test_huge_numbers_are_refused():
    errors = errors_of(with_rules("min_meetings: 99999999999999999999999999"))

    assert errors == [
        "t.yaml:7: rules.min_meetings: must be at most 1,000 (got 99999999999999999999999999)"
    ]


def test_a_number_too_long_to_print_is_still_reported():
    errors = errors_of(MINIMAL.replace("title: A minimal agreement", "title: 0x" + "f" * 5000))

    assert errors == [
        't.yaml:3: title: expected text, got the number (too large to show) (put it in "quotes" '
        "if it is meant as text)"
    ]


def test_an_unknown_party_is_refused():
    errors = errors_of(with_field("- {key: notes, kind: text, label: Notes, party: mentors}"))

    assert errors == [
        't.yaml:13: sections[0].blocks[1].party: unknown party "mentors" '
        "(expected one of: shared, mentor, mentee)"
    ]


def test_an_unknown_signer_is_refused():
    errors = errors_of(MINIMAL.replace("[mentor, mentee]", "[mentor, mentee, supervisor]"))

    assert errors == [
        't.yaml:4: signers[2]: unknown signer "supervisor" '
        "(expected one of: mentor, mentee, coordinator) (a signer beyond these is a mapping: "
        "{key: supervisor, label: ..., named_by: mentee})"
    ]


def test_the_mentor_or_the_mentee_must_sign():
    errors = errors_of(MINIMAL.replace("[mentor, mentee]", "[coordinator]"))

    assert errors == [
        "t.yaml:4: signers: the mentor or the mentee must sign: add mentor (or mentee) to signers"
    ]


def test_a_form_only_the_mentor_signs_loads():
    template = load_template(MINIMAL.replace("[mentor, mentee]", "[mentor]"))

    assert template.signers == ("mentor",)
    assert template.partner_signers == ("mentor",)


def test_a_signer_listed_twice_is_refused():
    errors = errors_of(MINIMAL.replace("[mentor, mentee]", "[mentor, mentee, mentor]"))

    assert errors == ['t.yaml:4: signers[2]: "mentor" is listed twice']


def test_a_rule_naming_a_missing_field_is_refused():
    errors = errors_of(with_rules("meeting_modes_field: modes"))

    assert errors == [
        't.yaml:7: rules.meeting_modes_field: no field "modes" '
        "(the counts or choice or multichoice fields are: none)"
    ]


def test_a_rule_naming_a_field_of_the_wrong_kind_is_refused():
    errors = errors_of(with_rules("meeting_modes_field: goal"))
    errors += errors_of(with_rules("duration: {months_field: goal}"))

    assert errors == [
        't.yaml:7: rules.meeting_modes_field: field "goal" is a text field; '
        "expected a counts or choice or multichoice field",
        't.yaml:7: rules.duration.months_field: field "goal" is a text field; '
        "expected a number or choice field",
    ]


def test_options_with_duplicate_keys_are_refused():
    errors = errors_of(
        with_field(
            "- key: modes",
            "  kind: choice",
            "  label: How we meet",
            "  options:",
            "    - {key: phone, label: Phone}",
            "    - {key: phone, label: Telephone}",
        )
    )

    assert errors == [
        't.yaml:18: sections[0].blocks[1].options[1].key: duplicate option key "phone" '
        "(also sections[0].blocks[1].options[0])"
    ]


def test_an_option_named_other_is_reserved_for_other_true():
    errors = errors_of(
        with_field("- {key: modes, kind: choice, label: Modes, options: [{key: other, label: X}]}")
    )

    assert "is reserved: use other: true" in errors[0]


def test_distribution_to_the_program_needs_a_return_address():
    errors = errors_of(MINIMAL.replace("distribution: pair", "distribution: program"))

    assert errors == [
        "t.yaml:6: rules.return_address: missing: distribution is program, so say where the "
        "signed agreement is returned"
    ]


def test_a_pair_agreement_has_no_return_address():
    errors = errors_of(with_rules("return_address: office@example.org"))

    assert "distribution is pair" in errors[0]
    assert errors[0].startswith("t.yaml:7: rules.return_address:")


def test_a_template_must_say_who_receives_the_signed_agreement():
    errors = errors_of(MINIMAL.replace("  distribution: pair\n", "  min_meetings: 3\n"))

    assert errors[0].startswith("t.yaml:5: rules.distribution: missing: say who receives")


def test_bad_dates_are_refused_quoted_or_not():
    errors = errors_of(with_rules('agreement_due: {date: "2027-02-30"}'))
    errors += errors_of(with_rules("agreement_due: {date: 2027-02-30}"))
    errors += errors_of(with_rules("agreement_due: {date: 23 February 2027}"))

    assert errors == [
        't.yaml:7: rules.agreement_due.date: the text "2027-02-30" is not a real date '
        "(write YYYY-MM-DD, like 2027-02-23)",
        't.yaml:7: rules.agreement_due.date: the text "2027-02-30" is not a real date '
        "(write YYYY-MM-DD, like 2027-02-23)",
        't.yaml:7: rules.agreement_due.date: the text "23 February 2027" is not a real date '
        "(write YYYY-MM-DD, like 2027-02-23)",
    ]


def test_a_month_day_must_be_a_day_of_every_year():
    errors = errors_of(with_rules('agreement_due: {month_day: "02-29"}'))
    errors += errors_of(with_rules('agreement_due: {month_day: "Feb 23"}'))

    assert len(errors) == 2
    assert all("is not a day of every year" in e for e in errors)


def test_a_deadline_is_exactly_one_kind():
    errors = errors_of(with_rules("agreement_due: {month_day: '02-23', days_after_kickoff: 28}"))

    assert errors == [
        "t.yaml:7: rules.agreement_due: give exactly one of date, days_after_kickoff, month_day "
        "or by_meeting"
    ]


def test_text_given_as_a_number_or_yes_no_is_refused_with_a_hint():
    errors = errors_of(MINIMAL.replace("title: A minimal agreement", "title: 2027"))
    errors += errors_of(MINIMAL.replace("label: Our goal", "label: yes"))

    assert errors == [
        't.yaml:3: title: expected text, got the number 2027 (put it in "quotes" if it is meant '
        "as text)",
        "t.yaml:12: sections[0].blocks[0].label: expected text, got true (a yes/no value) "
        '(put it in "quotes" if it is meant as text)',
    ]


def test_a_list_where_text_is_expected_is_refused():
    errors = errors_of(MINIMAL.replace("label: Our goal", "label: [Our, goal]"))

    assert errors == ["t.yaml:12: sections[0].blocks[0].label: expected text, got a list"]


def test_every_error_is_reported_not_just_the_first():
    text = (
        MINIMAL.replace("slug: minimal", "slug: Not A Slug")
        .replace("[mentor, mentee]", "[mentor, mentor]")
        .replace("kind: text", "kind: txt")
    )

    errors = errors_of(text)

    assert [e.split(":")[1] for e in errors] == ["2", "4", "11"]


def test_yaml_aliases_are_refused():
    errors = errors_of(
        "format: 1\nslug: &s minimal\ntitle: *s\nsigners: [mentor, mentee]\n"
        "rules: {distribution: pair}\nsections: []\n"
    )

    assert errors == ["t.yaml:3: YAML aliases (*s) are not allowed in a template"]


def test_a_billion_laughs_is_refused_quickly():
    lines = ["format: 1", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]

    errors = errors_of("\n".join(lines))

    assert "aliases" in errors[0]


def test_deep_nesting_is_refused():
    errors = errors_of("format: 1\nx: " + "[" * 500 + "]" * 500)

    assert errors == ["t.yaml:2: nesting is deeper than 30 levels"]


def test_a_template_longer_than_the_limit_is_refused():
    errors = errors_of(MINIMAL + "#" * MAX_TEMPLATE_CHARS)

    assert errors == [
        f"t.yaml: the template is {len(MINIMAL) + MAX_TEMPLATE_CHARS:,} characters long; "
        "the limit is 200,000"
    ]


def test_a_template_that_is_not_a_mapping_is_refused():
    assert errors_of("- just\n- a list\n") == [
        "t.yaml: expected a template (a mapping of name: value), got a list"
    ]
    assert errors_of("") == ["t.yaml: the template is empty"]
    assert errors_of("# only a comment\n") == ["t.yaml: the template is empty"]


def test_a_second_yaml_document_is_refused():
    errors = errors_of(MINIMAL + "---\nformat: 1\n")

    assert errors == [
        "t.yaml:13: a template is one YAML document; remove the second '---' document"
    ]


def test_python_tags_are_refused():
    errors = errors_of(
        MINIMAL.replace("title: A minimal agreement", "title: !!python/name:os.system")
    )

    assert "YAML tag tag:yaml.org,2002:python/name:os.system is not allowed" in errors[0]


def test_a_template_has_one_signature_block():
    errors = errors_of(MINIMAL + "      - signatures: {}\n      - signatures: {}\n")

    assert errors == [
        "t.yaml:14: sections[0].blocks[2]: a template has one signature block "
        "(the first is sections[0].blocks[1])"
    ]


def test_a_block_must_be_one_thing():
    errors = errors_of(MINIMAL + "      - text: Hello\n        bullets: [a]\n")
    errors += errors_of(MINIMAL + "      - heading: Hello\n")

    assert errors == [
        "t.yaml:13: sections[0].blocks[1]: a block is one of text, bullets, signatures or a "
        "field; this one has text and bullets",
        "t.yaml:13: sections[0].blocks[1]: expected a block: text, bullets, signatures, or a "
        "field (key, kind, label)",
    ]


def test_an_acknowledgement_needs_its_statement():
    errors = errors_of(with_field("- {key: confidentiality, kind: acknowledgement, label: C}"))

    assert errors == [
        "t.yaml:13: sections[0].blocks[1].statement: missing (the clause each signer accepts)"
    ]


def test_a_bad_key_is_refused():
    errors = errors_of(MINIMAL.replace("- key: goal\n", "- key: Our-Goal\n"))

    assert errors == [
        't.yaml:10: sections[0].blocks[0].key: "Our-Goal" is not a valid key '
        "(use lowercase letters, digits and _, starting with a letter)"
    ]


def test_goal_parts_and_horizons_are_checked():
    errors = errors_of(
        with_field("- {key: g, kind: goals, label: G, parts: [measure, deadline], horizon: soon}")
    )

    assert errors == [
        't.yaml:13: sections[0].blocks[1].parts[1]: unknown goal part "deadline" '
        "(expected one of: goal, measure, target_date)",
        't.yaml:13: sections[0].blocks[1].parts: every goal has its "goal" part: add goal to parts',
        't.yaml:13: sections[0].blocks[1].horizon: unknown horizon "soon" '
        "(expected one of: short, long)",
    ]


def test_load_template_needs_a_string():
    with pytest.raises(TypeError):
        load_template(b"format: 1")  # type: ignore[arg-type]


# -- the documented example

TESTS = Path(__file__).resolve().parent
DOCS = TESTS.parents[2] / "docs" / "templates.md"


def worked_example_in_the_docs() -> str:
    page = DOCS.read_text(encoding="utf-8")
    after_heading = page.split("\n## Worked example\n", 1)[1]
    return after_heading.split("```yaml\n", 1)[1].split("\n```\n", 1)[0] + "\n"


def test_the_docs_show_the_example_file_verbatim():
    example = (TESTS / "example_from_docs.yaml").read_text(encoding="utf-8")

    assert worked_example_in_the_docs() == example


def test_the_documented_example_loads_and_uses_every_field_kind():
    template = load_template(worked_example_in_the_docs(), filename="templates.md")

    assert template.slug == "nursing-preceptorship"
    assert sorted({f.kind for f in template.fields()}) == sorted(FIELD_KINDS)
    assert template.signers == ("mentee", "mentor", "coordinator")
    assert template.rules.due_date(datetime.date(2027, 9, 1)) == datetime.date(2027, 9, 15)
