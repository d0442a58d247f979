"""The intake questions' YAML: every problem by line, nothing but QuestionsError for any text,
and the pages answer any input with the problem beside the field, never a 500."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorpact.matching import questions
from mentorpact.matching.questions import QuestionsError, load
from mentorpact.matching.tests import QUESTIONS, save_questions
from mentorpact.test import PASSWORD, BaseTestCase


def errors_of(text: str) -> list[str]:
    try:
        load(text)
    except QuestionsError as error:
        return error.errors
    return []


def test_the_example_and_the_tests_questions_are_valid():
    assert load(questions.EXAMPLE).rank_up_to == 3
    intake = load(QUESTIONS)
    assert [q.key for q in intake.asked_of("mentor")] == ["mode", "area", "department"]
    assert [q.key for q in intake.asked_of("mentee")] == ["mode", "area", "department", "hopes"]


def test_each_problem_names_its_line_and_path():
    text = """\
questions:
  - key: area
    label: Area
    kind: choice
    options: [Only one]
    matters: should_match
  - key: area
    label: Again
    kind: scale
    low: 5
    high: 2
  - key: wants
    label: I would prefer a mentor who
    kind: choice
    options: [a, b]
    asked_of: mentee
    compare_with: nowhere
    matters: should_match
  - key: note
    label: Notes
    kind: text
    matters: must_match
    weight: 3
"""
    assert errors_of(text) == [
        "questions.yaml:4: questions[0].options: a choice needs at least two options",
        "questions.yaml:11: questions[1].high: must be more than low (5)",
        "questions.yaml:22: questions[3].matters: a free-text answer cannot count for matching "
        "(use no)",
        "questions.yaml:23: questions[3].weight: a weight is for should_match questions only",
    ]
    fixed = (
        text.replace("[Only one]", "[One, Two]")
        .replace("low: 5", "low: 1")
        .replace("high: 2", "high: 4")
        .replace("    matters: must_match\n    weight: 3\n", "")
    )
    assert errors_of(fixed) == [
        'questions.yaml:7: questions[1].key: duplicate key "area" (also questions[0])',
        'questions.yaml:17: questions[2].compare_with: no question has the key "nowhere"',
    ]


def test_a_question_asked_of_one_side_must_say_what_it_compares_with():
    text = (
        "questions:\n  - key: a\n    label: A\n    kind: modes\n"
        "    asked_of: mentor\n    matters: must_match\n"
    )
    assert errors_of(text) == [
        "questions.yaml:6: questions[0].matters: a question asked of the mentor only has nothing "
        "to compare with: ask both, or give a mentee question compare_with "
        "(a mentor question's key)"
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_with_reasons(text):
    errors = errors_of(text)
    assert all(error.startswith("questions.yaml") for error in errors)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "key",
                        "label",
                        "kind",
                        "matters",
                        "options",
                        "asked_of",
                        "weight",
                        "compare_with",
                        "low",
                        "high",
                        "questions",
                        "ranking",
                        "up_to",
                    ]
                ),
                inner,
                max_size=5,
            )
        ),
        max_leaves=12,
    )
)
def test_any_shape_of_yaml_is_read_or_refused_with_reasons(data):
    from mentorpact.agreement_templates.yamltext import dump

    errors_of(dump({"questions": [data]} if not isinstance(data, dict) else data))


class PagesSurviveAnyInputTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        save_questions(self.program, self.cora)

    def test_the_profile_and_questions_pages_never_fail(self):
        profile = reverse("matching:profile", args=[self.program.public_id])
        page = reverse("matching:questions", args=[self.program.public_id])

        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        @given(
            st.text(max_size=50),
            st.sampled_from(["mode", "area", "department", "hopes", "role"]),
        )
        def post(value, key):
            self.client.login(email=self.theo.email, password=PASSWORD)
            response = self.client.post(profile, {key: value, "mode": [value, "online"]})
            self.assertIn(response.status_code, (302, 400))
            response = self.client.get(profile, {"role": value})
            self.assertIn(response.status_code, (200, 403))
            self.client.login(email=self.cora.email, password=PASSWORD)
            response = self.client.post(page, {"source": value})
            self.assertIn(response.status_code, (302, 400))
            save_questions(self.program, self.cora)

        post()
