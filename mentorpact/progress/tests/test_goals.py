"""Which parts of each seed program's signed agreement become the action plan (goals.py)."""

import datetime

from django.test import SimpleTestCase

from mentorpact.agreement_templates.schema import TemplateError, builtin_templates, load_template
from mentorpact.progress import goals
from mentorpact.progress.tests.base import CONTENT


def template(slug: str):
    return load_template(builtin_templates()[slug])


def content(slug: str) -> dict:
    return {**CONTENT[slug]["mentor"], **CONTENT[slug]["mentee"]}


class GoalSourcesTest(SimpleTestCase):
    def test_aspe_gives_its_goal_and_its_three_objectives(self):
        sources = goals.goal_sources(template("aspe-partnership"), content("aspe-partnership"))
        self.assertEqual(
            [(s.key, s.label) for s in sources],
            [
                ("goal", "Goal"),
                ("objectives", "Objective 1"),
                ("objectives", "Objective 2"),
                ("objectives", "Objective 3"),
            ],
        )
        self.assertEqual(sources[0].goal, "Become a confident peer reviewer.")
        self.assertEqual(sources[2].goal, "Write one review alone")

    def test_the_pilots_two_goals_keep_how_success_will_be_known(self):
        sources = goals.goal_sources(template("university-pilot"), content("university-pilot"))
        self.assertEqual([s.label for s in sources], ["Goal 1", "Goal 2"])
        self.assertEqual(sources[1].measure, "Three new contacts")

    def test_red_takes_the_mentees_goals_but_not_the_mentors_own(self):
        sources = goals.goal_sources(template("red-peer-mentoring"), content("red-peer-mentoring"))
        self.assertEqual(
            [(s.key, s.goal) for s in sources],
            [("mentee_goals", "Submit my first federal grant proposal.")],
        )

    def test_remote_keeps_each_goals_horizon(self):
        sources = goals.goal_sources(template("remote-planning"), content("remote-planning"))
        self.assertEqual(
            [(s.label, s.horizon) for s in sources],
            [("Short-term goal 1", "short"), ("Long-term goal 1", "long")],
        )

    def test_a_goals_target_date_becomes_its_due_date(self):
        form = load_template(
            """
format: 1
slug: dated
title: Dated goals
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: goals
    blocks:
      - key: goals
        kind: goals
        label: Goals
        plan: goal
        parts: [goal, measure, target_date]
"""
        )
        value = {"goals": [{"goal": "Publish", "measure": "Accepted", "target_date": "2027-01-31"}]}
        [source] = goals.goal_sources(form, value)
        self.assertEqual(source.due_on, datetime.date(2027, 1, 31))

    def test_whprms_learning_opportunities_become_commitments(self):
        commitments = goals.commitment_sources(
            template("whprms-partnership"), content("whprms-partnership")
        )
        self.assertEqual(
            [(c.opportunity, c.venue) for c in commitments],
            [
                ("The annual WHPRMS conference", "Madison"),
                ("A claims committee meeting", "Mia's hospital"),
            ],
        )

    def test_no_other_seed_program_has_commitments(self):
        for slug in (
            "aspe-partnership",
            "red-peer-mentoring",
            "university-pilot",
            "remote-planning",
        ):
            with self.subTest(slug):
                self.assertEqual(goals.commitment_sources(template(slug), content(slug)), [])


class DefaultOwnerTest(SimpleTestCase):
    def test_red_names_the_person_who_completes_the_plan(self):
        owner = goals.default_owner(template("red-peer-mentoring"), content("red-peer-mentoring"))
        self.assertEqual(owner, ("named", "Theo Mentee"))

    def test_elsewhere_the_mentee_owns_the_plan(self):
        owner = goals.default_owner(template("aspe-partnership"), content("aspe-partnership"))
        self.assertEqual(owner, ("mentee", ""))


class SaidNotGuessedTest(SimpleTestCase):
    """Only a field that says `plan: goal` or `plan: commitment` gives the plan anything."""

    FORM = """
format: 1
slug: said
title: Said
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: ground_rules
    blocks:
      - key: off_limits_goals
        kind: list
        label: Topics that are off limits
      - key: behaviours
        kind: goals
        label: Behaviours we will not engage in
      - key: commitments
        kind: table
        label: We commit to these meeting places
        columns: [{key: place, label: Place}]
      - key: goal
        kind: textarea
        label: Goal
"""

    def test_without_plan_no_field_is_a_goal_or_a_commitment_whatever_its_name(self):
        form = load_template(self.FORM)
        value = {
            "off_limits_goals": ["Salary"],
            "behaviours": [{"goal": "Interrupting"}],
            "commitments": [{"place": "Library"}],
            "goal": "Finish the thesis",
        }
        self.assertEqual(goals.goal_sources(form, value), [])
        self.assertEqual(goals.commitment_sources(form, value), [])

    def test_plan_is_refused_where_it_does_not_apply_with_its_line(self):
        source = self.FORM.replace(
            "        label: Topics that are off limits",
            "        label: Topics that are off limits\n        plan: commitment",
        )
        with self.assertRaises(TemplateError) as caught:
            load_template(source)
        self.assertIn(
            ':13: sections[0].blocks[0].plan: unknown plan "commitment"', str(caught.exception)
        )
        self.assertIn("(expected one of: goal)", str(caught.exception))
