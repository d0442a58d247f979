"""The WHPRMS Mentor Partnership Agreement (seed 002_d9558fc0aca7dc8d.txt), checked against its
text. The expected texts are copied from the seed form by hand: the tests never read the seed.
"""

from mentorpact.agreement_templates.schema import Duration, Rules

from . import assert_in_order, builtin, outline

CONFIDENTIALITY_PARAGRAPHS = [
    "Participants in the WHPRMS Mentor Program should consider any personal information shared "
    "between mentor and mentee to be confidential unless both mentor and mentee agree that the "
    "information can be shared and with whom it can be shared.",
    "If any written notes from personal communications are kept they should be stored in a "
    "secure location.",
    "Any conversations about the mentor/mentee relationship that are held with others should "
    "not disclose any confidential information. Specifically, no information from confidential "
    "conversations between mentor and mentee are to be shared with supervisory personnel.",
]

FORM_TEXT = [
    "WHPRMS Mentor Partnership Agreement",
    "Instructions: Use this partnership agreement at your first meeting to agree on goals and "
    "objectives for the mentorship relationship, set ground rules for your meetings, to decide "
    "on how to communicate or meet, and to discuss confidentiality.",
    "We have agreed on the following goals and objectives as the focus of this mentoring "
    "relationship:",
    "Goal:",
    "Objectives:",
    "We have discussed how we will work together. To ensure that our relationship is a mutually "
    "rewarding and satisfying experience for both of us, we agree to:",
    "1. Meet regularly and for",
    "months",
    "(Three months is the suggested timeframe)",
    "We will meet",
    "face to face",
    "by phone",
    "by email",
    "other",
    "Our schedule for meetings will be:",
    "2. Look for multiple opportunities and experiences to enhance the mentee's learning.",
    "We have identified, and will commit to, the following specific opportunities and venues "
    "for learning:",
    "3. Maintain confidentiality of our relationship.",
    *CONFIDENTIALITY_PARAGRAPHS,
    "4. Honor the ground rules we have developed for the relationship.",
    "Our ground rules are:",
    "5. Provide regular feedback to each other and evaluate progress.",
    "We will accomplish this by:",
    "We agree to meet regularly until we accomplish our predefined goals or for the "
    "predetermined amount of time. At the end of this period of time, we will review this "
    "agreement, evaluate our progress, and reach a learning conclusion. The relationship will "
    "then be considered complete. If we choose to continue our mentoring partnership, we may "
    "negotiate a basis for continuation, so long as we have stipulated mutually agreed-on goals.",
    "In the event one of us believes it is not longer productive for us to continue or the "
    "learning situation is compromised, we may decide to seek outside intervention or conclude "
    "the relationship. In this event, we agree to use closure as a learning opportunity.",
    "Mentor and mentee should keep a copy of this agreement. This form should be returned to: "
    "president_elect@whprms.org",
]

BLANKS = [
    ("goal", "textarea"),
    ("objectives", "list"),
    ("months", "number"),
    ("meeting_modes", "counts"),
    ("schedule", "textarea"),
    ("learning_opportunities", "table"),
    ("confidentiality", "acknowledgement"),
    ("ground_rules", "textarea"),
    ("feedback_method", "textarea"),
]


def test_it_reproduces_the_form_text_in_order():
    assert_in_order(builtin("whprms-partnership"), FORM_TEXT)


def test_it_has_every_blank_in_order():
    template = builtin("whprms-partnership")

    assert [(f.key, f.kind) for f in template.fields()] == BLANKS
    assert all(f.required for f in template.fields())


def test_it_asks_exactly_three_objectives():
    objectives = builtin("whprms-partnership").field("objectives")

    assert (objectives.min_items, objectives.max_items) == (3, 3)


def test_meeting_counts_include_an_other_mode_to_specify():
    modes = builtin("whprms-partnership").field("meeting_modes")

    assert [o.key for o in modes.options] == ["face_to_face", "phone", "email"]
    assert modes.other is True
    assert modes.other_label == "other"


def test_learning_opportunities_and_venues_are_a_table():
    field = builtin("whprms-partnership").field("learning_opportunities")

    assert [(c.key, c.label) for c in field.columns] == [
        ("opportunity", "Opportunity"),
        ("venue", "Venue"),
    ]


def test_the_confidentiality_clause_keeps_its_three_paragraphs():
    field = builtin("whprms-partnership").field("confidentiality")

    assert field.statement.split("\n\n") == CONFIDENTIALITY_PARAGRAPHS


def test_the_return_instruction_follows_the_signatures():
    assert outline(builtin("whprms-partnership"))[-2:] == ["signatures", "text"]


def test_it_carries_the_programs_rules():
    template = builtin("whprms-partnership")

    assert template.source.startswith("002_d9558fc0aca7dc8d.txt")
    assert template.rules == Rules(
        distribution="program",
        return_address="president_elect@whprms.org",
        keep_copy=True,
        duration=Duration(months_field="months", suggested_months=3),
        meeting_modes_field="meeting_modes",
    )
