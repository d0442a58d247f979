"""The screen form (_form.html): labels, help, errors beside their inputs, the other party's
fields read-only with a note, item slots, and a read-only preview."""

import re

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from django.utils.html import escape

from mentorpact.agreement_templates.rendering import build_form, item_slots, one_section
from mentorpact.agreement_templates.schema import load_template

from . import EVERY_KIND, builtin, submitted

TEMPLATE = load_template(EVERY_KIND)
NAMES = {"mentor": "Mia", "mentee": "Theo"}


def render(values=None, errors=None, **kwargs) -> str:
    form = build_form(TEMPLATE, values or {}, errors or {}, names=NAMES, **kwargs)
    return render_to_string("agreement_templates/_form.html", {"form": form})


def tag(html: str, element_id: str) -> str:
    """The opening tag of the element with this id."""
    match = re.search(rf'<[a-z]+ [^>]*id="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


class BuildFormTest(SimpleTestCase):
    def test_it_shows_the_forms_text_in_order(self):
        html = render()

        order = [
            "Every kind of field",
            "All of them",
            "Fill in what you can.",
            "A paragraph.",
            "<li>one</li>",
            "Goal",
            "One line.",
            "Mentor goals",
            "Signatures.",
        ]
        positions = [html.index(text) for text in order]
        self.assertEqual(positions, sorted(positions))

    def test_every_input_has_a_label(self):
        html = render()
        ids = re.findall(r'<(?:input|textarea|select) [^>]*id="([^"]+)"', html)

        self.assertGreater(len(ids), 30)
        for element_id in ids:
            with self.subTest(element_id):
                self.assertIn(f'for="{element_id}"', html)

    def test_help_and_errors_are_tied_to_their_input(self):
        errors = {
            "goal": ["Enter at most 200 characters (you entered 254)."],
            "objectives.1": ["Remove the control character U+0007; it can't be saved."],
            "modes.phone": ["Enter a whole number between 0 and 999."],
            "goals.0.measure": ["Enter at most 1000 characters (you entered 1001)."],
            "places.0.when": ["Enter a real date, like 2027-02-23."],
        }
        html = render(errors=errors)

        goal = tag(html, "f-goal")
        self.assertIn('aria-describedby="f-goal-help f-goal-error"', goal)
        self.assertIn('aria-invalid="true"', goal)
        self.assertIn('<p class="help" id="f-goal-help">One line.</p>', html)
        self.assertIn(
            '<p class="field-error" id="f-goal-error">'
            "Enter at most 200 characters (you entered 254). </p>",
            html,
        )
        for element_id, message in [
            ("f-objectives-1", errors["objectives.1"][0]),
            ("f-modes-phone", errors["modes.phone"][0]),
            ("f-goals-0-measure", errors["goals.0.measure"][0]),
            ("f-places-0-when", errors["places.0.when"][0]),
        ]:
            with self.subTest(element_id):
                self.assertIn(f'aria-describedby="{element_id}-error"', tag(html, element_id))
                self.assertIn(
                    f'<span class="field-error" id="{element_id}-error">{escape(message)} </span>',
                    html,
                )
        self.assertIn(
            '<a href="#f-modes-phone">We will meet — Enter a whole number between 0 and 999.</a>',
            html,
        )
        self.assertIn("There are 5 problems", html)

    def test_the_other_partys_fields_are_read_only_with_a_note(self):
        html = render(party="mentee")

        self.assertIn("disabled", tag(html, "f-mentor_goals"))
        self.assertIn("Mia (mentor) fills this in", html)
        self.assertNotIn("disabled", tag(html, "f-mentee_name"))
        self.assertNotIn("Theo (mentee) fills this in", html)
        self.assertIn("disabled", tag(html, "f-confidentiality-mentor"))
        self.assertNotIn("disabled", tag(html, "f-confidentiality-mentee"))
        self.assertIn("I accept this (Theo (mentee))", html)
        self.assertIn("Mia (mentor) accepts this", html)

    def test_the_mentor_sees_the_mentees_fields_locked(self):
        html = render(party="mentor")

        self.assertIn("Theo (mentee) fills this in", html)
        self.assertIn("disabled", tag(html, "f-mentee_name"))

    def test_lists_show_their_slots_without_javascript(self):
        html = render({"ideas": ["a", "b", "c", "d"]})

        self.assertEqual(len(re.findall(r'id="f-objectives-\d"', html)), 3)  # exactly 3
        self.assertEqual(len(re.findall(r'id="f-ideas-\d+"', html)), 5)  # 4 and a blank one
        self.assertEqual(len(re.findall(r'id="f-places-\d+-what"', html)), 3)
        self.assertEqual(len(re.findall(r'id="f-goals-\d+-goal"', html)), 4)  # max 4: all
        self.assertEqual(
            [item_slots(0, 2, 2), item_slots(0, None, None), item_slots(7, 2, 20)], [2, 3, 8]
        )

    def test_choices_offer_other_with_a_specify_box(self):
        html = render({"venues": {"choices": ["other"], "other_label": "The park"}})

        self.assertIn('<label for="f-venues-option-other">Somewhere else</label>', html)
        self.assertIn("checked", tag(html, "f-venues-option-other"))
        self.assertIn('value="The park"', tag(html, "f-venues-other_label"))
        self.assertIn("Somewhere else: please specify", html)

    def test_a_disabled_form_submits_nothing(self):
        html = render({"goal": "Grow"}, disabled=True)

        self.assertEqual(list(submitted(html).lists()), [])
        self.assertNotIn("needed before signing.", html)

    def test_the_values_are_escaped(self):
        html = render({"goal": '"><script>alert(1)</script>'})

        self.assertNotIn("<script>alert", html)
        self.assertIn("&lt;script&gt;", html)

    def test_a_label_that_repeats_its_sections_heading_is_kept_for_screen_readers_only(self):
        template = builtin("university-pilot")
        html = render_to_string(
            "agreement_templates/_form.html", {"form": build_form(template, {}, {})}
        )

        self.assertIn('<h3 id="confidentiality-heading">Confidentiality</h3>', html)
        self.assertIn('<legend class="visually-hidden">Confidentiality', html)


TWO_SECTIONS = load_template("""\
format: 1
slug: two
title: Two sections
signers: [mentee, mentor]
rules:
  distribution: pair
sections:
  - key: first
    heading: First
    blocks:
      - {key: goal, kind: text, label: Goal, required: true}
  - key: second
    heading: Second
    blocks:
      - {key: notes, kind: text, label: Notes}
""")


class OneSectionTest(SimpleTestCase):
    def test_one_section_draws_that_section_and_its_errors_only(self):
        errors = {"goal": ["Too long."], "notes": ["Also too long."]}
        form = one_section(build_form(TWO_SECTIONS, {}, errors), "second")
        html = render_to_string("agreement_templates/_form.html", {"form": form})
        self.assertIn('name="f.notes"', html)
        self.assertNotIn('name="f.goal"', html)
        self.assertEqual(form.error_summary, [("f-notes", "Notes", "Also too long.")])
        # The page names the section in its own h1 (with the id the section points at) and
        # draws the form's title itself.
        self.assertIn('aria-labelledby="second-heading"', html)
        self.assertNotIn("<h3", html)
        self.assertNotIn("Two sections", html)
