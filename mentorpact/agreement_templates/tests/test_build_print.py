"""The print layout (_print.html) and its PDF: the paper form, tidy, with the values filled in
or blank lines where nothing is filled in yet."""

import re
import subprocess

from django.template.loader import render_to_string
from django.test import SimpleTestCase

from mentorpact.agreement_templates.rendering import build_print, print_pdf
from mentorpact.agreement_templates.schema import load_template

from . import EVERY_KIND, builtin
from .test_parse_post import FILLED

TEMPLATE = load_template(EVERY_KIND)


def render(template, values=None, **kwargs) -> str:
    doc = build_print(template, values or {}, **kwargs)
    return render_to_string("agreement_templates/_print.html", {"doc": doc})


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


class BuildPrintTest(SimpleTestCase):
    def test_a_blank_aspe_form_has_its_blanks_and_signature_lines(self):
        html = render(builtin("aspe-partnership"))
        text = text_of(html)

        self.assertIn("ASPE Mentoring Program Mentoring Partnership Agreement INSTRUCTIONS:", text)
        self.assertEqual(
            html.count('<li><span class="ag-fill is-blank"></span></li>'), 3
        )  # objectives
        self.assertIn("1. Meet regularly and for", text)
        self.assertIn("We will meet: face to face , by phone , by email , Skype", text)
        self.assertEqual(
            re.findall(r"Mentor&#x27;s signature|Mentee&#x27;s signature", html),
            ["Mentor&#x27;s signature", "Mentee&#x27;s signature"],
        )
        self.assertEqual(html.count(">Print name<"), 2)
        self.assertEqual(html.count(">Date<"), 2)
        self.assertIn("☐ Accepted by the mentor", text)

    def test_the_red_form_signs_mentee_first_and_has_no_print_name(self):
        html = render(builtin("red-peer-mentoring"))

        self.assertLess(
            html.index("Mentee&#x27;s signature"), html.index("Mentor&#x27;s signature")
        )
        self.assertNotIn("Print name", html)
        # The signature block sits where the form has it: before the expectations.
        self.assertLess(
            html.index("ag-sign-block"), html.index("Peer Mentor Participant Expectations")
        )

    def test_filled_values_are_shown_in_place(self):
        text = text_of(
            render(
                TEMPLATE,
                FILLED,
                signatures=[{"role": "mentor", "typed_name": "Mia Mentor", "date": "1 March 2027"}],
            )
        )

        for shown in [
            "Goal Grow &lt;b&gt;&amp; &quot;lead&quot;&lt;/b&gt;",
            "Objectives Write Review Publish",
            "Goals Short-term Lead How will you know you have achieved it? I run a release "
            "Target date 1 May 2027 Long-term Manage",
            "Meet for 6 months",
            "We will meet 2 face to face , by phone , 1 Other (specify) ( Slack )",
            "☐ The mentee ☒ The mentor",
            "☐ online ☒ Other (specify): Signal",
            "☐ the office ☒ a café ☒ Somewhere else: The park",
            "End date 23 February 2027",
            "# What When 1 Conference 1 June 2027 2 Journal club",
            "☒ Accepted by the mentor ☒ Accepted by the mentee",
            "Mia Mentor Mentor's signature Mia Mentor Print name 1 March 2027 Date",
        ]:
            with self.subTest(shown):
                self.assertIn(shown.replace("'", "&#x27;"), text)

    def test_a_list_short_of_its_minimum_keeps_blank_lines_for_the_rest(self):
        html = render(TEMPLATE, {"objectives": ["Write"]})

        self.assertIn('<li><span class="ag-fill">Write</span></li>', html)
        self.assertEqual(
            html.count('<li><span class="ag-fill is-blank"></span></li>'), 2 + 3
        )  # + ideas

    def test_the_pdf_is_the_print_layout(self):
        data = print_pdf(build_print(TEMPLATE, FILLED))

        self.assertTrue(data.startswith(b"%PDF-"))
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn("Every kind of field", text)
        self.assertIn("Journal club", text)
        self.assertIn("Page 1 of", text)

    def test_a_label_that_repeats_its_sections_heading_is_printed_once(self):
        html = render(builtin("university-pilot"))

        self.assertEqual(text_of(html).count("Confidentiality"), 1)
