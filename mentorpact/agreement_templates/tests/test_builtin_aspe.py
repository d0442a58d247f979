"""The ASPE Mentoring Partnership Agreement (seed 001_eff2c6c48785b178.txt), checked against its
text. The expected texts are copied from the seed form by hand: the tests never read the seed.
"""

from mentorpact.agreement_templates.schema import Duration, Rules, Signatures

from . import assert_in_order, builtin, outline

CONFIDENTIALITY = (
    "Participants in the ASPE Mentor Program should consider any personal information shared "
    "between mentor and mentee to be confidential unless both mentor and mentee agree that the "
    "information can be shared and with whom it can be shared. If any written notes from "
    "personal communications are kept they should be stored in a secure location. Any "
    "conversations about the mentor/mentee relationship that are held with others should not "
    "disclose any confidential information. Specifically, no information from confidential "
    "conversations between mentor and mentee are to be shared with supervisory personnel."
)

FORM_TEXT = [
    "ASPE Mentoring Program",
    "Mentoring Partnership Agreement",
    "INSTRUCTIONS: Use this partnership agreement at your first meeting to agree on goals and "
    "objectives for the mentorship relationship, set ground rules for your meetings, to decide "
    "on how to communicate or meet, and to discuss confidentiality.",
    "Mentor and mentee should keep a copy of this agreement. This form should be returned to "
    "the ASPE Mentoring Program: aspementor@aspe.org",
    "We have agreed on the following goals and objectives as the focus of this mentoring "
    "relationship:",
    "Goal:",
    "Objectives:",
    "We have discussed how we will work together. To ensure that our relationship is a mutually "
    "rewarding and satisfying experience for both of us, we agree to:",
    "1. Meet regularly and for",
    "months",
    "We will meet:",
    "face to face",
    "by phone",
    "by email",
    "Skype",
    "Our schedule for meetings will be:",
    "2. Maintain confidentiality of our relationship.",
    CONFIDENTIALITY,
    "3. Honor the ground rules we have developed for the relationship.",
    "Our ground rules are:",
    "4. Provide regular feedback to each other and evaluate progress.",
    "We will accomplish this by:",
    "We agree to meet regularly until we accomplish our predefined goals or for the "
    "predetermined amount of time. At the end of this period of time, we will review this "
    "agreement, evaluate our progress, and reach a learning conclusion. The relationship will "
    "then be considered complete. If we choose to continue our mentoring partnership, we may "
    "negotiate a basis for continuation, so long as we have stipulated mutually agreed-on goals.",
    "In the event one of us believes it is not longer productive for us to continue or the "
    "learning situation is compromised, we may decide to seek outside intervention or conclude "
    "the relationship. In this event, we agree to use closure as a learning opportunity.",
]

BLANKS = [
    ("goal", "textarea"),
    ("objectives", "list"),
    ("months", "number"),
    ("meeting_modes", "counts"),
    ("schedule", "textarea"),
    ("confidentiality", "acknowledgement"),
    ("ground_rules", "textarea"),
    ("feedback_method", "textarea"),
]


def test_it_reproduces_the_form_text_in_order():
    assert_in_order(builtin("aspe-partnership"), FORM_TEXT)


def test_it_has_every_blank_in_order():
    template = builtin("aspe-partnership")

    assert [(f.key, f.kind) for f in template.fields()] == BLANKS
    assert all(f.required and f.party == "shared" for f in template.fields())


def test_it_asks_one_goal_and_exactly_three_objectives():
    objectives = builtin("aspe-partnership").field("objectives")

    assert (objectives.min_items, objectives.max_items) == (3, 3)
    assert objectives.item_name == "objective"


def test_it_counts_meetings_face_to_face_by_phone_email_and_skype():
    modes = builtin("aspe-partnership").field("meeting_modes")

    assert [o.key for o in modes.options] == ["face_to_face", "phone", "email", "skype"]
    assert not modes.other


def test_the_confidentiality_clause_is_accepted_word_for_word():
    field = builtin("aspe-partnership").field("confidentiality")

    assert field.statement == CONFIDENTIALITY


def test_the_signature_block_asks_printed_names_and_comes_last():
    template = builtin("aspe-partnership")

    assert outline(template)[-1] == "signatures"
    assert template.sections[-1].blocks[-1] == Signatures(print_name=True)
    assert template.signers == ("mentor", "mentee")


def test_it_carries_the_programs_rules():
    template = builtin("aspe-partnership")

    assert template.source.startswith("001_eff2c6c48785b178.txt")
    assert template.rules == Rules(
        distribution="program",
        return_address="aspementor@aspe.org",
        keep_copy=True,
        duration=Duration(months_field="months"),
        meeting_modes_field="meeting_modes",
    )
