"""The RED Peer Mentoring Agreement (seed 000_2015e028479d8e3f.txt), checked against its text.

The expected texts are copied from the seed form by hand: the tests never read the seed.
"""

import datetime

import pytest

from mentorpact.agreement_templates.schema import Contact, Deadline, Rules

from . import assert_in_order, builtin, outline

# Every heading, instruction, blank, clause, expectation and suggestion, in the form's order.
FORM_TEXT = [
    "RED Peer Mentoring Agreement",
    "Use this form to guide your first meeting.",
    "(Signed Agreement due to RSP by February 23rd)",
    "Mentee Name:",
    "Mentor Name:",
    "1. The overall goals that I hope to achieve as a mentee involve:",
    "2. The overall goals that I hope to achieve as a mentor involve:",
    "3. Progress towards the overall goals can be measured by our Mentee Action Plan.",
    "The Mentee Action Plan will be used and completed by",
    "4. Frequency of mentoring meetings/communications and our preferred method of meeting "
    "(at least monthly):",
    "5. Accountability in this relationship will be determined by:",
    "We are committed to open and honest communication in our mentoring relationship. We will "
    "honor each other by using time wisely and creating open lines of communication. We will "
    "accept constructive feedback and suggestions. We will keep confidences with our partner. "
    "We will model professionalism, ethics, and transparency.",
    "Peer Mentor Participant Expectations",
    "Schedule your initial meeting and complete the agreement within 4-weeks of the kick-off "
    "meeting.",
    "Complete the Mentee Action Plan by the end of your 2nd Peer Partner Meeting.",
    "Thereafter maintain regular and frequent contact with each other, a minimum of one time "
    "per month.",
    "Determine what communication methods and frequency of contact work for you.",
    "Communicate clearly and professionally in a timely manner.",
    "Model professionalism, ethics, and transparency.",
    "Establish goals for the partnership and review them regularly.",
    "Keep confidences with your partner.",
    "Respect each other's priorities, ideas, and needs.",
    "Honor each other by using time wisely and creating lines of open communication.",
    "Nurture the partnership by sharing ideas and perspectives.",
    "Accept constructive feedback and suggestions.",
    "Attend RSP sponsored networking functions as scheduled.",
    "Provide feedback about your experience in the program through periodic evaluations.",
    "Suggestions for a Successful Partnership",
    "Establish regular, in person communications whenever possible.",
    "Communicate by phone, email, or in person once a week.",
    "Be clear with each other about your time availability.",
    "Be clear from the beginning on what you want get out of the partnership.",
    "Focus on your unique established goals while also taking time for skills development, "
    "goal setting, career planning, problem solving, and networking.",
    "Be open to differing viewpoints and new ways of doing things.",
    "Take initiative to drive the partnership and be responsible for your own professional "
    "development.",
    "Assist with broadening each other's network by introducing your partner to others.",
    "Express your gratitude for the partnership.",
    "Ask questions and listen.",
    "Share experiences of both failure and success.",
    "Contact RSP if you need any support. red@rsp.wisc.edu or 608-262-3822",
]

# (key, kind, party) of every blank, in order.
BLANKS = [
    ("mentee_name", "person", "mentee"),
    ("mentor_name", "person", "mentor"),
    ("mentee_goals", "textarea", "mentee"),
    ("mentor_goals", "textarea", "mentor"),
    ("action_plan_owner", "person", "shared"),
    ("meeting_frequency", "textarea", "shared"),
    ("accountability", "textarea", "shared"),
    ("commitment", "acknowledgement", "shared"),
]


def test_it_reproduces_the_form_text_in_order():
    assert_in_order(builtin("red-peer-mentoring"), FORM_TEXT)


def test_it_has_every_blank_in_order():
    template = builtin("red-peer-mentoring")

    assert [(f.key, f.kind, f.party) for f in template.fields()] == BLANKS
    assert all(f.required for f in template.fields())


def test_the_expectations_and_suggestions_are_read_only_lists_after_the_signatures():
    template = builtin("red-peer-mentoring")

    assert outline(template)[-7:] == [
        "field:commitment",
        "signatures",
        "heading:Peer Mentor Participant Expectations",
        "bullets",
        "heading:Suggestions for a Successful Partnership",
        "bullets",
        "text",
    ]
    assert len(template.sections[1].blocks[0].items) == 14
    assert len(template.sections[2].blocks[0].items) == 11


def test_the_mentee_signs_first():
    assert builtin("red-peer-mentoring").signers == ("mentee", "mentor")


def test_it_carries_the_programs_rules():
    template = builtin("red-peer-mentoring")

    assert template.source.startswith("000_2015e028479d8e3f.txt")
    assert template.rules == Rules(
        distribution="program",
        return_address="red@rsp.wisc.edu",
        agreement_due=Deadline(month_day="02-23"),
        first_meeting_within_weeks=4,
        action_plan_by_meeting=2,
        min_contact=Contact(times=1, per="month"),
        action_plan_owner_field="action_plan_owner",
        networking_functions=True,
        periodic_evaluations=True,
    )


def test_the_signed_agreement_is_due_on_the_next_february_23rd():
    rules = builtin("red-peer-mentoring").rules

    assert rules.due_date(datetime.date(2027, 1, 26)) == datetime.date(2027, 2, 23)
    assert rules.due_date(datetime.date(2027, 9, 1)) == datetime.date(2028, 2, 23)


def test_the_order_check_notices_a_missing_or_misplaced_text():
    template = builtin("red-peer-mentoring")

    with pytest.raises(AssertionError, match="appears nowhere"):
        assert_in_order(template, ["Mentee Signature is not a text"])
    with pytest.raises(AssertionError, match="appears earlier than expected"):
        assert_in_order(template, [FORM_TEXT[-1], FORM_TEXT[0]])
