"""The feedback_from rule: who answers the feedback questions after a held meeting."""

import pytest

from mentorpact.agreement_templates.schema import Template, TemplateError, load_template

TEMPLATE = """\
format: 1
slug: feedback
title: Feedback
signers: [mentor, mentee]
rules:
  distribution: pair
  feedback_from: {value}
sections:
  - key: goals
    blocks:
      - key: goal
        kind: text
        label: Our goal
"""


def load(value: str) -> Template:
    return load_template(TEMPLATE.format(value=value), filename="feedback.yaml")


def test_it_reads_both_partners_in_a_fixed_order():
    assert load("[mentor, mentee]").rules.feedback_from == ("mentee", "mentor")


def test_it_reads_the_mentee_alone():
    assert load("[mentee]").rules.feedback_from == ("mentee",)


def test_it_is_none_when_absent():
    text = TEMPLATE.replace("  feedback_from: {value}\n", "")
    assert load_template(text).rules.feedback_from is None


def test_it_survives_to_dict_and_back():
    template = load("[mentee, mentor]")
    assert Template.from_dict(template.to_dict()).rules.feedback_from == ("mentee", "mentor")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[coordinator]", 'rules.feedback_from[0]: unknown partner "coordinator"'),
        ("[mentee, mentee]", 'rules.feedback_from[1]: "mentee" is listed twice'),
        ("[]", "rules.feedback_from: must not be empty"),
        ("mentee", "rules.feedback_from: expected a list"),
    ],
)
def test_it_refuses_anything_but_a_list_of_partners(value, message):
    with pytest.raises(TemplateError) as caught:
        load(value)
    assert message in str(caught.value)
