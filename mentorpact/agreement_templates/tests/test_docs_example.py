"""Done when: a template for a mentoring form that is not among the seeds, written from
docs/templates.md alone (its worked example), validates, renders and carries its rules, with no
code change: imported, chosen, previewed, printed, and its rules in effect for a program."""

import datetime
from pathlib import Path

from django.template.loader import render_to_string
from django.urls import reverse

from mentorpact.agreement_templates.rendering import build_form, build_print
from mentorpact.agreement_templates.rules import effective_rules
from mentorpact.agreement_templates.schema import Contact, load_template
from mentorpact.agreement_templates.services import choose_template, import_template
from mentorpact.test import BaseTestCase

EXAMPLE = Path(__file__).with_name("example_from_docs.yaml").read_text()


class DocsExampleTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.version = import_template(
            source=EXAMPLE, filename="nursing.yaml", created_by=self.cora
        )
        self.template = self.version.as_template()

    def test_the_form_renders_an_input_for_every_field(self):
        html = render_to_string(
            "agreement_templates/_form.html",
            {"form": build_form(self.template, {}, {}, party="mentee")},
        )

        for field in self.template.fields():
            with self.subTest(field.key):
                self.assertIn(f'name="f.{field.key}', html)
                self.assertIn(field.label.replace('"', "&quot;").replace("'", "&#x27;"), html)
        self.assertIn("The mentor fills this in", html)  # preceptor_offer, party: mentor

    def test_the_print_layout_shows_every_field_and_three_signature_lines(self):
        html = render_to_string(
            "agreement_templates/_print.html", {"doc": build_print(self.template, {})}
        )

        for field in self.template.fields():
            with self.subTest(field.key):
                self.assertIn(field.label.replace("'", "&#x27;"), html)
        self.assertEqual(html.count('class="ag-sign"'), 3)
        self.assertIn("Coordinator&#x27;s signature", html)

    def test_its_rules_are_in_effect_for_a_program_that_chooses_it(self):
        self.program.agreement_due_date = None
        self.program.save()
        choose_template(program=self.program, template=self.version.template, user=self.cora)

        rules = effective_rules(self.program)

        self.assertEqual(rules.due_date(datetime.date(2027, 1, 15)), datetime.date(2027, 1, 29))
        self.assertEqual(rules.min_contact, Contact(1, "week"))
        self.assertEqual((rules.duration.min_months, rules.duration.max_months), (4, 12))
        self.assertEqual(rules.return_address, "office@example.org")  # the program's own address
        self.assertEqual(
            load_template(EXAMPLE).rules.return_address, "preceptorship@northfield-general.example"
        )

    def test_the_coordinator_pages_show_it(self):
        self.sign_in(self.cora)
        choose_template(program=self.program, template=self.version.template, user=self.cora)

        page = self.client.get(
            reverse("agreement_templates:program", args=[self.program.public_id])
        )
        preview = self.client.get(
            reverse("agreement_templates:preview", args=["nursing-preceptorship"])
        )
        paper = self.client.get(
            reverse("agreement_templates:print", args=["nursing-preceptorship"])
        )

        self.assertContains(page, "nursing-preceptorship · version 1 · shared (read-only)")
        self.assertContains(page, "<dt>Contact at least</dt><dd>once a week</dd>", html=True)
        self.assertContains(preview, "Preceptorship Agreement")
        self.assertContains(paper, "Northfield General Hospital Preceptorship Programme")
