"""The university pilot's Mentoring Agreement (seed 003_f76d2e4fc2b74b46.txt), checked against its
text. The expected texts are copied from the seed form by hand: the tests never read the seed.
"""

from mentorpact.agreement_templates.schema import Bullets, Rules

from . import assert_in_order, builtin, outline

FEEDBACK_QUESTIONS = (
    "How useful was our meeting for you and please say why this is.",
    "What would you like to do more of in the next session? What would you like to do less of?",
    "Did you notice your thoughts changing positively/negatively during the session? What "
    "triggered this?",
    "Are you doing/do you plan to try out doing anything differently going forward?",
)

FORM_TEXT = [
    "MENTORING AGREEMENT",
    "This document is for mentoring pairs to use in order to frame the first conversation and "
    "agree ways of working together.",
    "Having an open discussion and setting objectives for mentoring will help you get the most "
    "out of it.",
    "Please use the document as a guide and adapt the discussion points as needed for your "
    "partnership.",
    "Please talk through each of the following expectations for the partnership:",
    "Confidentiality",
    "Both the Mentor and the Mentee have responsibility to maintain and respect the "
    "confidentiality of all the information disclosed during the mentoring relationship as they "
    "may hear sensitive and personal information. This applies to both within and out with the "
    "University.",
    "There are certain exceptions to this which should be agreed at the beginning of the "
    "mentoring relationship, e.g.:",
    "If both partners agree that the Mentor can speak to someone else about an issue or problem. "
    "The Mentor and Mentee will agree who the Mentor will speak to and the boundaries of the "
    "discussion.",
    "If the Mentor believes that there is convincing evidence of serious danger to the Mentee or "
    "others if the information is withheld, or that a crime has been or is going to be committed",
    "Frequency and Location of Meetings",
    "We ask you to agree to a minimum number of meetings (we suggest at least 3 meetings to "
    "allow the relationship to develop).",
    "It is traditionally the mentee’s responsibility to organise meetings, but please agree who "
    "will arrange the meetings and how they will take place (online / face-to-face / telephone).",
    "Communication",
    "Are you expecting communication between meetings, beyond planning the meetings? E.g. "
    "sharing links or documents, perhaps progress updates. If so, you may want to discuss this, "
    "including, for example, response times.",
    "Sometimes it works for the pair to agree they will respond when they receive an email – if "
    "only to confirm when they will have the capacity to respond more fully.",
    "What happens if either of you needs to cancel or re-schedule a meeting? What happens if no "
    "email response is received?",
    "Feedback and reflection",
    "A highly recommended way to get the most out of mentoring is by having an exchange after "
    "each session about what has worked well, and how to go forward. Please agree how to "
    "integrate this into your meetings. Some example questions mentees can answer after each "
    "session:",
    *FEEDBACK_QUESTIONS,
    "If you prefer a more open (but still respectful) approach, please establish this between "
    "you as a set of informal questions to ask each other to support you in ensuring the "
    "usefulness of your time together",
    "Recording meetings and progress: Activity Log",
    "We suggest you keep some simple notes to record your progress and activity/outcomes of the "
    "meeting.",
    "Closing the Relationship",
    "If all has gone well and you have met the goals you originally agreed, you could then "
    "discuss extending the relationship beyond the pilot and you can agree a new arrangement "
    "that is mutually convenient. As a minimum hopefully you will remain in touch as often the "
    "impact of mentoring happens beyond the end of the formal relationship and it’s great to "
    "share positive updates.",
    "However, mentoring is a voluntary activity and should only be used where both parties are "
    "finding it valuable and feel happy to continue. If you feel you have fulfilled the "
    "objectives of the relationship early or if either party is unhappy with mentoring, the "
    "partnership can be ended, at any point. A nice way to end is with a thankyou email, "
    "summarising your learning to date.",
    "Other",
    "Is there anything else we want to talk about that will influence/affect the mentoring "
    "partnership?",
    "Mentee goals",
    "We agree to focus on the following 2 mentee goals during our mentoring sessions.",
    "These can be revisited and changed as the partnership progresses. If you can make your "
    "goals specific, and achievable.",
    "How will you know if you have achieved them?",
    "Signatures",
    "We are happy with this preliminary agreement and will use it to keep on track. We will "
    "review this agreement if we decide to continue beyond our initial sessions.",
    "This document is only for use of the mentor and mentee – it does not need to be shared "
    "with anyone else.",
    "(This agreement is based on a more comprehensive document, created by Dr Kay Guccione.",
    "If you want to explore further, have a look at the resources we’ve put together here).",
]

BLANKS = [
    ("confidentiality", "acknowledgement"),
    ("confidentiality_contact", "textarea"),
    ("meeting_count", "number"),
    ("organiser", "choice"),
    ("meeting_modes", "multichoice"),
    ("communication", "textarea"),
    ("cancellation", "textarea"),
    ("feedback_approach", "textarea"),
    ("other", "textarea"),
    ("mentee_goals", "goals"),
]


def test_it_reproduces_the_form_text_in_order():
    assert_in_order(builtin("university-pilot"), FORM_TEXT)


def test_it_has_every_blank_in_order():
    template = builtin("university-pilot")

    assert [(f.key, f.kind) for f in template.fields()] == BLANKS
    required = [f.key for f in template.fields() if f.required]
    assert required == ["confidentiality", "mentee_goals"]


def test_it_asks_two_mentee_goals_and_how_you_will_know():
    goals = builtin("university-pilot").field("mentee_goals")

    assert (goals.min_items, goals.max_items) == (2, 2)
    assert goals.parts == ("goal", "measure")
    assert goals.measure_label == "How will you know if you have achieved them?"


def test_meetings_can_be_online_face_to_face_or_by_telephone():
    modes = builtin("university-pilot").field("meeting_modes")

    assert [o.label for o in modes.options] == ["online", "face-to-face", "telephone"]


def test_the_four_feedback_questions_are_rules_and_read_only_text():
    template = builtin("university-pilot")

    assert template.rules.feedback_questions == FEEDBACK_QUESTIONS
    feedback = next(s for s in template.sections if s.key == "feedback")
    assert Bullets(FEEDBACK_QUESTIONS, numbered=True) in feedback.blocks


def test_the_attribution_follows_the_signatures():
    assert outline(builtin("university-pilot"))[-4:] == ["text", "text", "signatures", "text"]


def test_the_agreement_stays_between_mentor_and_mentee():
    template = builtin("university-pilot")

    assert template.source.startswith("003_f76d2e4fc2b74b46.txt")
    assert template.rules == Rules(
        distribution="pair",
        min_meetings=3,
        meeting_modes_field="meeting_modes",
        activity_log=True,
        organiser_field="organiser",
        contingency_field="cancellation",
        feedback_questions=FEEDBACK_QUESTIONS,
        confidentiality_exceptions=("agreed_disclosure", "serious_danger"),
    )
