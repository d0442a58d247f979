"""The evaluation format: every problem found at once, by line, in the templates' words."""

import datetime

from django.test import SimpleTestCase

from mentorpact.evaluations import form


def problems(text: str) -> list[str]:
    try:
        form.load(text)
    except form.FormError as error:
        return error.errors
    return []


class FormatTest(SimpleTestCase):
    def test_the_example_loads(self):
        loaded = form.load(form.EXAMPLE)
        self.assertEqual(loaded.when, "midpoint")
        self.assertEqual([q.kind for q in loaded.questions], ["scale", "choice", "text"])
        self.assertEqual(loaded.questions[0].choices[3], ("4", "4: Very"))
        self.assertFalse(loaded.questions[2].required)
        self.assertEqual(loaded.answer_within_days, 21)

    def test_a_scale_without_labels_reads_disagree_to_agree(self):
        loaded = form.load(
            "title: T\nwhen: closing\nquestions:\n  - key: a\n    label: A\n    kind: scale\n"
        )
        self.assertEqual(loaded.questions[0].labels, form.DEFAULT_LABELS)

    def test_every_problem_is_named_with_its_line(self):
        text = (
            "title: Year end\n"
            "when: every_months\n"
            "named: maybe\n"
            "questions:\n"
            "  - key: a\n"
            "    label: A\n"
            "    kind: chioce\n"
            "  - key: a\n"
            "    label: B\n"
            "    kind: scale\n"
            "    labels: [One]\n"
            "  - key: c\n"
            "    label: C\n"
            "    kind: choice\n"
            "    options: [Only]\n"
        )
        self.assertEqual(
            problems(text),
            [
                'evaluation.yaml:3: named: expected true or false, got the text "maybe"',
                'evaluation.yaml:7: questions[0].kind: unknown kind "chioce" (expected one of: '
                "scale, choice, text)",
                "evaluation.yaml:11: questions[1].labels: a scale has 5 labels, one for each "
                "of 1-5",
                "evaluation.yaml:14: questions[2].options: a choice needs at least two options",
                "evaluation.yaml:2: months: say every how many months",
            ],
        )

    def test_dates_are_real_dates_and_only_for_a_dated_evaluation(self):
        base = "title: T\nquestions:\n  - key: a\n    label: A\n    kind: text\n"
        self.assertEqual(
            problems(base + "when: dates\ndates: [2027-02-30]\n"),
            [
                'evaluation.yaml:7: dates[0]: the text "2027-02-30" is not a real date (write '
                "YYYY-MM-DD, like 2027-02-23)"
            ],
        )
        self.assertEqual(
            problems(base + "when: midpoint\ndates: [2027-03-01]\n"),
            ["evaluation.yaml:7: dates: dates are for when: dates"],
        )
        loaded = form.load(base + "when: dates\ndates: [2027-06-01, 2027-03-01]\n")
        self.assertEqual(loaded.dates, (datetime.date(2027, 3, 1), datetime.date(2027, 6, 1)))

    def test_no_question_or_no_schedule_is_refused(self):
        self.assertEqual(
            problems("title: T\n"),
            [
                "evaluation.yaml: when: missing (say when it is asked)",
                "evaluation.yaml: questions: an evaluation asks at least one question",
            ],
        )

    def test_yaml_that_does_not_parse_is_reported_by_line(self):
        found = problems("title: [unclosed\n")
        self.assertEqual(len(found), 1)
        self.assertTrue(found[0].startswith("evaluation.yaml:"), found)
