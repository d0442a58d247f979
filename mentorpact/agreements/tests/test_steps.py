"""Each section's state for the person filling it in (agreements/steps.py), read from the
draft's saved values and the template's required fields."""

import datetime

from django.test import SimpleTestCase

from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreements import steps
from mentorpact.agreements.tests.base import STEPS_YAML

TEMPLATE = load_template(STEPS_YAML)
TODAY = datetime.date(2026, 12, 4)


def states(content: dict, role: str) -> dict[str, str]:
    return {s.key: s.state for s in steps.steps_of(TEMPLATE, content, role, today=TODAY)}


class StepStatesTestCase(SimpleTestCase):
    def test_an_empty_draft_is_not_started_where_something_is_needed(self):
        self.assertEqual(
            states({}, "mentee"),
            {
                "welcome": steps.COMPLETE,  # nothing to fill in
                "goals": steps.NOT_STARTED,
                "terms": steps.NOT_STARTED,
                "promise": steps.NOT_STARTED,
                "other": steps.NOT_STARTED,  # optional only: does not stop signing
            },
        )
        self.assertTrue(steps.steps_of(TEMPLATE, {}, "mentee", today=TODAY)[4].optional)
        self.assertEqual(states({"other": "Tea"}, "mentee")["other"], steps.COMPLETE)

    def test_some_of_my_fields_saved_is_in_progress(self):
        self.assertEqual(states({"frequency": "Weekly"}, "mentee")["terms"], steps.IN_PROGRESS)

    def test_my_part_done_and_the_partners_missing_is_waiting_and_names_what(self):
        content = {"mentee_goals": "Publish", "confidentiality": {"mentee": True}}
        [goals] = [
            s for s in steps.steps_of(TEMPLATE, content, "mentee", today=TODAY) if s.key == "goals"
        ]
        self.assertEqual(goals.state, steps.WAITING)
        self.assertEqual(goals.state_label, "Waiting for your partner")
        self.assertEqual(goals.partner_to_do, ("My goals as a mentor",))
        self.assertEqual(goals.to_do, ())
        self.assertEqual(states(content, "mentee")["promise"], steps.WAITING)
        # The same draft seen by the mentor: their part still to do, the mentee's done.
        self.assertEqual(states(content, "mentor")["goals"], steps.NOT_STARTED)
        self.assertEqual(states(content, "mentor")["promise"], steps.NOT_STARTED)

    def test_everything_needed_from_both_is_complete(self):
        content = {
            "mentee_goals": "Publish",
            "mentor_goals": "Listen",
            "frequency": "Weekly",
            "place": "Online",
            "confidentiality": {"mentee": True, "mentor": True},
        }
        for role in ("mentor", "mentee"):
            self.assertEqual(
                set(states(content, role).values()) - {steps.NOT_STARTED}, {steps.COMPLETE}
            )
            self.assertEqual(states(content, role)["other"], steps.NOT_STARTED)  # optional

    def test_an_optional_field_left_empty_does_not_hold_a_section_back(self):
        terms = steps.steps_of(
            TEMPLATE, {"frequency": "Weekly", "place": "Online"}, "mentor", today=TODAY
        )[2]
        self.assertEqual((terms.key, terms.to_do, terms.state), ("terms", (), steps.COMPLETE))

    def test_whose_fields_a_section_has(self):
        by_key = {s.key: s for s in steps.steps_of(TEMPLATE, {}, "mentee", today=TODAY)}
        self.assertFalse(by_key["welcome"].has_fields)
        self.assertFalse(by_key["welcome"].fillable)
        self.assertTrue(by_key["goals"].fillable)
        self.assertEqual(by_key["goals"].to_do, ("My goals as a mentee",))
        self.assertEqual(by_key["goals"].partner_to_do, ("My goals as a mentor",))
        self.assertEqual([s.number for s in by_key.values()], [1, 2, 3, 4, 5])
