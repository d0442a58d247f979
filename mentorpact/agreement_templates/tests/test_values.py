import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreement_templates.values import (
    canonical_json,
    incomplete,
    missing_required,
    validate_values,
)

TEMPLATE = load_template("""\
format: 1
slug: every-kind
title: Every kind of field
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: all
    blocks:
      - {key: goal, kind: text, label: Goal, required: true}
      - {key: notes, kind: textarea, label: Notes, max_length: 50}
      - {key: objectives, kind: list, label: Objectives, item_name: objective,
         min_items: 3, max_items: 3, required: true}
      - {key: goals, kind: goals, label: Goals, horizons: [short, long], max_items: 4}
      - {key: months, kind: number, label: Months, min: 1, max: 24, required: true}
      - {key: hours, kind: number, label: Hours, step: 5}
      - key: modes
        kind: counts
        label: We will meet
        options: [{key: face_to_face, label: face to face}, {key: phone, label: by phone}]
        other: true
      - key: organiser
        kind: choice
        label: Who organises
        options: [{key: mentee, label: The mentee}, {key: mentor, label: The mentor}]
      - key: channel
        kind: choice
        label: How
        options: [{key: online, label: online}]
        other: true
      - key: ways
        kind: multichoice
        label: Ways
        options: [{key: online, label: online}, {key: phone, label: telephone}]
      - {key: end_date, kind: date, label: End date}
      - key: places
        kind: table
        label: Learning opportunities
        item_name: opportunity
        min_rows: 2
        columns: [{key: what, label: What}, {key: when, label: When, kind: date}]
      - {key: confidentiality, kind: acknowledgement, label: Confidentiality,
         statement: We keep confidences., required: true}
      - {key: mentee_name, kind: person, label: Mentee name, party: mentee}
      - {key: mentor_goals, kind: textarea, label: Mentor goals, party: mentor}
""")


def check(values, **kwargs):
    return validate_values(TEMPLATE, values, **kwargs)


# -- text


def test_text_is_kept_exactly_as_typed():
    cleaned, errors = check({"goal": "  Publish two papers  \n", "notes": "a\tb\r\nc"})

    assert errors == {}
    assert cleaned == {"goal": "  Publish two papers  \n", "notes": "a\tb\r\nc"}


def test_text_longer_than_its_limit_is_refused_with_both_lengths():
    cleaned, errors = check({"goal": "x" * 254})

    assert cleaned == {}
    assert errors == {"goal": ["Enter at most 200 characters (you entered 254)."]}


def test_control_characters_are_refused():
    _, errors = check({"goal": "bell\x07", "notes": "nul\x00"})

    assert errors == {
        "goal": ["Remove the control character U+0007; it can't be saved."],
        "notes": ["Remove the control character U+0000; it can't be saved."],
    }


def test_a_number_where_text_belongs_is_refused():
    _, errors = check({"goal": 12})

    assert errors == {"goal": ["Enter text."]}


def test_empty_values_are_left_out_of_the_cleaned_values():
    cleaned, errors = check({"goal": "", "objectives": [], "months": "", "modes": {}, "ways": []})

    assert (cleaned, errors) == ({}, {})


# -- lists, goals and tables


def test_a_draft_list_may_be_short_of_its_minimum_until_signing():
    cleaned, errors = check({"objectives": ["Write", "Review", "  "]})

    assert errors == {}
    assert cleaned == {"objectives": ["Write", "Review"]}
    assert incomplete(TEMPLATE, cleaned)["objectives"] == "Add 3 objectives (2 so far)."


def test_a_list_refuses_more_than_its_maximum():
    _, errors = check({"objectives": ["a", "b", "c", "d"]})

    assert errors == {"objectives": ["Enter no more than 3 objectives (you entered 4)."]}


def test_list_items_are_checked_one_by_one():
    _, errors = check({"objectives": ["a", "x" * 501, "c"]})

    assert errors == {"objectives.1": ["Enter at most 500 characters (you entered 501)."]}


def test_goals_keep_their_parts_and_horizon():
    goal = {
        "goal": "Lead a project",
        "measure": "I run the spring release",
        "target_date": "2027-05-01",
        "horizon": "short",
    }

    cleaned, errors = check({"goals": [goal, {"goal": "", "measure": ""}]})

    assert errors == {}
    assert cleaned == {"goals": [goal]}


def test_a_goal_with_a_bad_date_or_an_unknown_part_is_refused_at_that_part():
    _, errors = check(
        {"goals": [{"goal": "x", "horizon": "long", "target_date": "2027-02-30", "owner": "me"}]}
    )

    assert errors == {
        "goals.0.target_date": ["Enter a real date, like 2027-02-23."],
        "goals.0.owner": ["This isn't part of a goal here."],
    }


def test_a_goal_must_say_its_horizon_when_the_field_asks_two():
    _, errors = check({"goals": [{"goal": "x"}]})

    assert errors == {"goals.0.horizon": ["Say whether this is a short-term or long-term goal."]}


def test_a_table_keeps_its_rows_and_checks_each_cell():
    rows = [{"what": "Conference", "when": "2027-06-01"}, {"what": "Journal club"}]

    cleaned, errors = check({"places": rows})
    _, bad = check({"places": [{"what": "A", "when": "June"}, {"what": "B", "where": "C"}]})
    short, short_errors = check({"places": [{"what": "A"}, {"what": ""}]})

    assert (cleaned, errors) == ({"places": rows}, {})
    assert bad == {
        "places.0.when": ["Enter a real date, like 2027-02-23."],
        "places.1.where": ["This isn't a column of this table."],
    }
    assert (short, short_errors) == ({"places": [{"what": "A"}]}, {})
    assert incomplete(TEMPLATE, short)["places"] == "Add at least 2 opportunities (1 so far)."


# -- numbers, counts and choices


def test_numbers_may_be_given_as_text():
    cleaned, errors = check({"months": " 6 ", "hours": 10})

    assert errors == {}
    assert cleaned == {"months": 6, "hours": 10}


@pytest.mark.parametrize("value", ["0", 25, "six", "1.5", True, 1e3, "٣"])
def test_a_number_outside_its_range_or_not_whole_is_refused(value):
    _, errors = check({"months": value})

    assert errors == {"months": ["Enter a whole number between 1 and 24."]}


def test_a_number_with_a_step_must_be_a_multiple_of_it():
    _, errors = check({"hours": 12})

    assert errors == {"hours": ["Enter a multiple of 5."]}


def test_counts_take_a_number_per_option_and_an_other_label():
    cleaned, errors = check(
        {"modes": {"face_to_face": "2", "phone": 0, "other": 1, "other_label": "Slack"}}
    )

    assert errors == {}
    assert cleaned == {"modes": {"face_to_face": 2, "other": 1, "other_label": "Slack"}}


def test_counts_refuse_unknown_options_and_negative_numbers():
    _, errors = check({"modes": {"fax": 1, "phone": -1}})

    assert errors == {
        "modes.fax": ["This isn't one of the options."],
        "modes.phone": ["Enter a whole number between 0 and 999."],
    }


def test_a_choice_is_one_of_its_options():
    assert check({"organiser": "mentee"}) == ({"organiser": "mentee"}, {})
    assert check({"organiser": "nobody"}) == ({}, {"organiser": ["Choose one of the options."]})


def test_a_choice_with_other_carries_the_other_text():
    assert check({"channel": {"choice": "other", "other_label": "Signal"}}) == (
        {"channel": {"choice": "other", "other_label": "Signal"}},
        {},
    )
    assert check({"channel": "online"}) == ({"channel": {"choice": "online"}}, {})


def test_a_multichoice_is_cleaned_into_the_templates_order():
    assert check({"ways": ["phone", "online", "phone"]}) == ({"ways": ["online", "phone"]}, {})
    assert check({"ways": ["fax"]}) == ({}, {"ways": ["Choose from the options."]})


def test_a_date_must_be_real():
    assert check({"end_date": "2027-02-23"}) == ({"end_date": "2027-02-23"}, {})
    for bad in ("2027-02-30", "23/02/2027", 20270223):
        assert check({"end_date": bad}) == (
            {},
            {"end_date": ["Enter a real date, like 2027-02-23."]},
        )


# -- who fills what in


def test_acknowledgements_are_accepted_per_signer():
    cleaned, errors = check({"confidentiality": {"mentor": True, "mentee": False}})

    assert errors == {}
    assert cleaned == {"confidentiality": {"mentor": True}}


def test_a_partner_cannot_accept_on_the_others_behalf():
    _, errors = check({"confidentiality": {"mentor": True, "mentee": True}}, party="mentee")

    assert errors == {"confidentiality.mentor": ["Only the mentor can accept this."]}


def test_a_partner_cannot_fill_in_the_other_partners_fields():
    cleaned, errors = check({"mentee_name": "Theo", "mentor_goals": "Mentor more"}, party="mentee")

    assert cleaned == {"mentee_name": "Theo"}
    assert errors == {"mentor_goals": ["Only the mentor fills this in."]}


def test_values_for_fields_that_do_not_exist_are_refused():
    _, errors = check({"nope": "x"})

    assert errors == {"nope": ["This isn't part of this agreement."]}


def test_values_that_are_not_a_mapping_are_refused():
    assert check(["goal"]) == ({}, {"__all__": ["Expected the agreement's values as a mapping."]})


def test_an_unknown_party_is_a_programming_error():
    with pytest.raises(ValueError):
        check({}, party="coach")


# -- before signing


def test_missing_required_lists_empty_required_fields_in_order():
    assert missing_required(TEMPLATE, {}) == ["goal", "objectives", "months", "confidentiality"]


def test_blank_text_and_a_half_accepted_clause_still_count_as_missing():
    values = {
        "goal": "   ",
        "objectives": ["a", "b", "c"],
        "months": 6,
        "confidentiality": {"mentor": True},
    }

    assert missing_required(TEMPLATE, values) == ["goal", "confidentiality"]


def test_incomplete_says_what_each_field_still_needs():
    values = {"objectives": ["a"], "confidentiality": {"mentee": True}}

    assert incomplete(TEMPLATE, values) == {
        "goal": "Fill this in.",
        "objectives": "Add 3 objectives (1 so far).",
        "months": "Fill this in.",
        "confidentiality": "Waiting for the mentor to accept this.",
    }
    assert incomplete(TEMPLATE, {})["objectives"] == "Add 3 objectives."


def test_an_optional_list_is_complete_when_empty_but_not_when_started_short():
    assert "places" not in incomplete(TEMPLATE, {})
    assert missing_required(TEMPLATE, {"places": [{"what": "A"}]}) == [
        "goal",
        "objectives",
        "months",
        "places",
        "confidentiality",
    ]


def test_nothing_is_missing_once_everything_required_is_filled_in():
    values = {
        "goal": "Grow",
        "objectives": ["a", "b", "c"],
        "months": 6,
        "confidentiality": {"mentor": True, "mentee": True},
    }

    assert missing_required(TEMPLATE, values) == []


# -- canonical JSON


def test_canonical_json_is_the_same_however_the_values_were_submitted():
    one = canonical_json(TEMPLATE, {"months": "6", "ways": ["phone", "online"], "goal": ""})
    two = canonical_json(TEMPLATE, {"ways": ["online", "phone"], "months": 6})

    assert one == two
    assert one == json.dumps(
        json.loads(one), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert json.loads(one)["values"] == {"months": 6, "ways": ["online", "phone"]}
    assert (
        hashlib.sha256(one.encode("utf-8")).hexdigest()
        == hashlib.sha256(two.encode("utf-8")).hexdigest()
    )


def test_canonical_json_covers_the_template_text_too():
    other = load_template(
        json.dumps({**TEMPLATE.to_dict(), "title": "Every kind of field, revised"})
    )

    assert canonical_json(TEMPLATE, {"months": 6}) != canonical_json(other, {"months": 6})


def test_canonical_json_refuses_invalid_values():
    with pytest.raises(ValueError):
        canonical_json(TEMPLATE, {"months": 99})


# -- never anything but (cleaned, errors)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=True)
    | st.text(max_size=30)
    | st.sampled_from(["", "2027-02-23", "other", "online", "mentor", "short", "6"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["goal", "measure", "target_date", "horizon", "what", "when", "other"])
            | st.sampled_from(["other_label", "choice", "choices", "mentor", "mentee", "phone"])
            | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
field_keys = st.sampled_from([f.key for f in TEMPLATE.fields()]) | st.text(max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    values=st.dictionaries(field_keys, json_values, max_size=6),
    party=st.sampled_from([None, "mentor", "mentee"]),
)
def test_any_values_give_cleaned_values_and_errors_and_cleaning_is_stable(values, party):
    cleaned, errors = validate_values(TEMPLATE, values, party=party)

    assert isinstance(cleaned, dict) and isinstance(errors, dict)
    assert all(isinstance(m, str) and m for messages in errors.values() for m in messages)
    # Cleaned values are valid, clean to themselves, and serialise.
    assert validate_values(TEMPLATE, cleaned) == (cleaned, {})
    assert canonical_json(TEMPLATE, cleaned) == canonical_json(TEMPLATE, cleaned)
    assert isinstance(missing_required(TEMPLATE, values), list)
