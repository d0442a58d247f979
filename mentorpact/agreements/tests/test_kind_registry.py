"""A field kind is one class in one module: a kind registered here, in the test, works in a
template, the form, a POST, the cleaned values, paper and text, without any other file."""

from typing import Annotated, Any

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from pydantic import BeforeValidator

from mentorpact.agreement_templates import kinds, shape
from mentorpact.agreement_templates.kinds.base import EMPTY, clean_text
from mentorpact.agreement_templates.rendering import build_form, build_print, parse_post
from mentorpact.agreement_templates.schema import Template, TemplateError, load_template
from mentorpact.agreement_templates.tests import submitted
from mentorpact.agreement_templates.values import incomplete, validate_values
from mentorpact.agreements.content import value_text


class WebsiteAttributes(shape.FieldBase):
    """A kind's own attribute: which sites the address may be on."""

    domains: Annotated[tuple[str, ...], BeforeValidator(lambda v: tuple(v or ()))] = shape.OPTIONAL


class Website(kinds.Kind):
    name = "website"
    position = 1000
    Attributes = WebsiteAttributes

    def clean(self, field, value: Any, add, template, party) -> Any:
        text = clean_text(value, 200, add)
        if text is None or text is EMPTY:
            return EMPTY
        if not text.startswith("https://"):
            add("", "Enter an address starting with https://.")
            return EMPTY
        domains = field.attribute("domains")
        if domains and text.split("/")[2] not in domains:
            add("", f"Enter an address on {' or '.join(domains)}.")
            return EMPTY
        return text

    def text(self, field, value: Any) -> str:
        return f"<{value}>"


TEMPLATE = """\
format: 1
slug: with-a-website
title: Our agreement
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: links
    blocks:
      - {key: site, kind: website, label: Our shared notes, required: true}
"""


class KindRegistryTest(SimpleTestCase):
    def setUp(self) -> None:
        kinds.register(Website)
        self.addCleanup(kinds.unregister, "website")
        self.template = load_template(TEMPLATE)

    def test_a_template_may_use_the_new_kind_and_its_attributes(self):
        self.assertEqual(self.template.field("site").kind, "website")

        with self.assertRaises(TemplateError) as refused:
            load_template(TEMPLATE.replace("required: true", "domians: [example.org]"))
        self.assertEqual(
            refused.exception.errors,
            [
                '<template>:9: sections[0].blocks[0].domians: unknown attribute "domians" '
                '(did you mean "domains"?)'
            ],
        )

    def test_its_own_attributes_reach_its_cleaner_and_survive_storage(self):
        template = load_template(TEMPLATE.replace("required: true", "domains: [example.org]"))

        self.assertEqual(template.field("site").attribute("domains"), ("example.org",))
        self.assertEqual(
            validate_values(template, {"site": "https://notes.example.com"}),
            ({}, {"site": ["Enter an address on example.org."]}),
        )
        self.assertEqual(Template.from_dict(template.to_dict()), template)

    def test_another_kinds_attribute_does_not_apply_to_it(self):
        with self.assertRaises(TemplateError) as refused:
            load_template(TEMPLATE.replace("required: true", "max_items: 3"))

        self.assertIn('"max_items" does not apply to a website field', str(refused.exception))

    def test_the_form_shows_it_a_post_reads_it_back_and_its_clean_runs(self):
        form = build_form(self.template, {"site": "https://notes.example.org"})
        html = render_to_string("agreement_templates/_form.html", {"form": form})

        self.assertIn('value="https://notes.example.org"', html)
        posted = parse_post(self.template, submitted(html))
        self.assertEqual(posted, {"site": "https://notes.example.org"})
        self.assertEqual(validate_values(self.template, posted), (posted, {}))
        self.assertEqual(
            validate_values(self.template, {"site": "notes.example.org"}),
            ({}, {"site": ["Enter an address starting with https://."]}),
        )
        self.assertEqual(incomplete(self.template, {}), {"site": "Fill this in."})

    def test_paper_and_text_read_it_as_the_kind_says(self):
        doc = build_print(self.template, {"site": "https://notes.example.org"})
        html = render_to_string("agreement_templates/_print.html", {"doc": doc})

        self.assertIn("&lt;https://notes.example.org&gt;", html)
        self.assertEqual(
            value_text(self.template.field("site"), "https://notes.example.org"),
            "<https://notes.example.org>",
        )

    def test_the_kind_is_listed_among_the_kinds_until_it_is_taken_out(self):
        self.assertEqual(list(kinds.KINDS)[-1], "website")
        kinds.unregister("website")
        self.addCleanup(kinds.register, Website)  # the setUp cleanup takes it out again

        with self.assertRaises(TemplateError) as refused:
            load_template(TEMPLATE)
        self.assertIn('unknown kind "website"', str(refused.exception))
