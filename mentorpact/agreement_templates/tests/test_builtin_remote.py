"""The remote programme's Mentoring Relationship Planning Template (seed
004_282d993744c1402f.txt), checked against its text. The expected texts are copied from the seed
form by hand: the tests never read the seed.
"""

from mentorpact.agreement_templates.schema import Duration, Rules

from . import assert_in_order, builtin, outline

FORM_TEXT = [
    "Mentoring Relationship",
    "Planning Template",
    "When entering into a mentoring partnership both parties commit to a shared effort. This "
    "form is designed to document decisions you make together about the work ahead. As "
    "conditions change and your relationship matures, refer to this sheet to be reminded of "
    "agreements you made early on.",
    "1. Clarify Roles.",
    "The role of a mentor is to share expertise, advise, advocate, coach, and support. The role "
    "of the mentee is to set goals, seek advice, and take steps toward professional growth.",
    "Write comments or clarifications you wish to make about your roles.",
    "2. Establish Purpose.",
    "Mentoring for its own sake is not a purpose.",
    "Record your specific purposes for entering this mentoring partnership.",
    "3. Document Initial Goals.",
    "For the mentee, what do you wish to accomplish? Record several short-term work goals and "
    "long-term career goals.",
    "In your initial meeting, discuss goals and set priorities. You will continue setting goals "
    "as you meet.",
    "4. Establish Mentoring Timeframe.",
    "How long should your mentoring relationship last? Having a clear end-point will make you "
    "more productive in your time together. Consider a target date six to twelve months ahead. "
    "Let major milestones guide your choice, such as a performance review or a product release. "
    "Plan a mid-point check halfway to your goal to reflect on progress.",
    "Describe your timeframe here.",
    "5. Meeting Plan.",
    "What you will do if one of you needs to postpone a meeting?",
    "Record your regular meeting plan and contingency plan.",
    "6. Plan Your Work Together - Informal interactions.",
    "This fully remote mentoring arrangement is unique and can make informal interaction more "
    "difficult. What ad hoc calls or meetings are acceptable? What kind of turn-around can each "
    "of you expect when the other leaves a message by phone or e-mail?",
    "Briefly note your preferences and expectations.",
    "7. Discuss Constructive Feedback.",
    "In a healthy partnership, both parties can give and take constructive feedback. A mentor "
    "may give critical input to help a mentor learn a new skill, change methods, or build "
    "awareness. In turn, a mentor may counter a recommendation or ask for a different kind of "
    "support from the mentor.",
    "Discuss how you prefer to give and receive critical feedback.",
    "And how will you agree to disagree?",
]

BLANKS = [
    ("roles", "textarea"),
    ("purpose", "textarea"),
    ("short_term_goals", "goals"),
    ("long_term_goals", "goals"),
    ("timeframe", "textarea"),
    ("end_date", "date"),
    ("meeting_plan", "textarea"),
    ("contingency_plan", "textarea"),
    ("ad_hoc_contact", "textarea"),
    ("turnaround", "textarea"),
    ("feedback_preferences", "textarea"),
    ("disagreement", "textarea"),
]


def test_it_reproduces_the_form_text_in_order():
    assert_in_order(builtin("remote-planning"), FORM_TEXT)


def test_it_has_every_blank_in_order():
    template = builtin("remote-planning")

    assert [(f.key, f.kind) for f in template.fields()] == BLANKS


def test_it_has_the_seven_numbered_sections_in_order():
    headings = [s.heading for s in builtin("remote-planning").sections]

    assert headings == [
        "1. Clarify Roles.",
        "2. Establish Purpose.",
        "3. Document Initial Goals.",
        "4. Establish Mentoring Timeframe.",
        "5. Meeting Plan.",
        "6. Plan Your Work Together - Informal interactions.",
        "7. Discuss Constructive Feedback.",
    ]


def test_the_mentee_records_short_term_work_and_long_term_career_goals():
    template = builtin("remote-planning")

    short, long = template.field("short_term_goals"), template.field("long_term_goals")
    assert (short.horizons, long.horizons) == (("short",), ("long",))
    assert short.party == long.party == "mentee"


def test_the_signature_block_goes_at_the_end_as_the_form_has_none():
    assert "signatures" not in outline(builtin("remote-planning"))


def test_it_asks_an_end_date_six_to_twelve_months_ahead_with_a_midpoint_check():
    template = builtin("remote-planning")

    assert template.source.startswith("004_282d993744c1402f.txt")
    assert template.rules == Rules(
        distribution="pair",
        duration=Duration(end_date_field="end_date", min_months=6, max_months=12),
        midpoint_check=True,
        contingency_field="contingency_plan",
    )
