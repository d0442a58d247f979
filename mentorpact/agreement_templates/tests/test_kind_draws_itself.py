"""A new field kind is one file plus its tests: a kind defined and registered here, with its
own form and print templates and its own POST, is drawn, read back, cleaned and printed with
no product file knowing of it."""

from typing import Any

from django.template import Template as DjangoTemplate
from django.template.loader import render_to_string
from django.test import SimpleTestCase

from mentorpact.agreement_templates import kinds
from mentorpact.agreement_templates.kinds.base import EMPTY, clean_integer
from mentorpact.agreement_templates.rendering import build_form, build_print, parse_post
from mentorpact.agreement_templates.schema import TemplateError, load_template
from mentorpact.agreement_templates.values import incomplete, validate_values

from . import submitted

FORM = DjangoTemplate(
    '<p class="hours-range">From {% with c=f.controls.0 %}'
    '{% include "agreement_templates/_form.html#control" %}{% endwith %} to '
    '{% with c=f.controls.1 %}{% include "agreement_templates/_form.html#control" %}'
    "{% endwith %} hours a month</p>"
)
PRINT = DjangoTemplate(
    '<p class="hours-range-print">{{ f.label }}: <span class="ag-fill">{{ f.text }}</span></p>'
)


class HoursRange(kinds.Kind):
    """From how many to how many hours a month: two numbers, the second no smaller."""

    name = "hours_range"
    position = 1001
    one_input = False  # a fieldset with a legend, like every kind of several inputs
    form_template = FORM
    print_template = PRINT

    def clean(self, field, value: Any, add, template, party) -> Any:
        if value in (None, {}, {"low": "", "high": ""}):
            return EMPTY
        if not isinstance(value, dict) or set(value) != {"low", "high"}:
            add("", "Expected a range of hours.")
            return EMPTY
        low = clean_integer(value["low"], add, "low", 0, 200, None)
        high = clean_integer(value["high"], add, "high", 0, 200, None)
        if low is None or high is None:
            return EMPTY
        if low is EMPTY or high is EMPTY:
            add("low" if low is EMPTY else "high", "Enter both numbers.")
            return EMPTY
        if high < low:
            add("high", f"Enter at least {low}.")
            return EMPTY
        return {"low": low, "high": high}

    def text(self, field, value: Any) -> str:
        return f"{value['low']} to {value['high']} hours a month"

    def form(self, form, field, view, value) -> None:
        value = value if isinstance(value, dict) else {}
        view.controls = [
            form.control(view, part, label=label, value=str(value.get(part, "")), type="number")
            for part, label in (("low", "From"), ("high", "To"))
        ]

    def read_post(self, field, data, name, template, party) -> Any:
        return {part: data.get(f"{name}.{part}", "") for part in ("low", "high")}


TEMPLATE = """\
format: 1
slug: with-hours
title: Our agreement
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: time
    blocks:
      - {key: hours, kind: hours_range, label: Time we give it, required: true}
      - {key: notes, kind: textarea, label: Notes}
"""


class KindDrawsItselfTest(SimpleTestCase):
    def setUp(self) -> None:
        kinds.register(HoursRange)
        self.addCleanup(kinds.unregister, "hours_range")
        self.template = load_template(TEMPLATE)

    def form_html(self, values=None, errors=None) -> str:
        form = build_form(self.template, values or {}, errors or {})
        return render_to_string("agreement_templates/_form.html", {"form": form})

    def test_the_form_draws_it_with_its_own_template_inside_a_fieldset(self):
        html = self.form_html({"hours": {"low": 2, "high": 4}})

        self.assertIn('<p class="hours-range">From <input type="text" inputmode="numeric"', html)
        self.assertIn('name="f.hours.low" value="2"', html)
        self.assertIn('name="f.hours.high" value="4"', html)
        self.assertIn(" hours a month</p>", html)
        self.assertIn("<legend>Time we give it", html)
        self.assertIn('<div class="ag-field ag-kind-hours_range">', html)

    def test_its_post_reads_back_and_cleans_as_the_kind_says(self):
        html = self.form_html({"hours": {"low": 2, "high": 4}})

        posted = parse_post(self.template, submitted(html))
        self.assertEqual(posted, {"hours": {"low": "2", "high": "4"}, "notes": ""})
        self.assertEqual(
            validate_values(self.template, posted), ({"hours": {"low": 2, "high": 4}}, {})
        )
        self.assertEqual(incomplete(self.template, {}), {"hours": "Fill this in."})

    def test_a_problem_shows_beside_its_input_and_in_the_summary(self):
        posted = {"hours": {"low": "5", "high": "3"}, "notes": ""}
        _, errors = validate_values(self.template, posted)
        self.assertEqual(errors, {"hours.high": ["Enter at least 5."]})

        html = self.form_html(posted, errors)
        self.assertIn('<span class="field-error" id="f-hours-high-error">Enter at least 5.', html)
        self.assertIn('<a href="#f-hours-high">Time we give it — Enter at least 5.</a>', html)
        self.assertIn('name="f.hours.high" value="3"', html)  # what was typed stays

    def test_paper_draws_it_with_its_own_template(self):
        doc = build_print(self.template, {"hours": {"low": 2, "high": 4}})
        html = render_to_string("agreement_templates/_print.html", {"doc": doc})

        self.assertIn(
            '<p class="hours-range-print">Time we give it: '
            '<span class="ag-fill">2 to 4 hours a month</span></p>',
            html,
        )
        self.assertIn('<div class="ag-pfield ag-kind-hours_range">', html)

    def test_once_taken_out_no_template_may_use_it(self):
        kinds.unregister("hours_range")
        self.addCleanup(kinds.register, HoursRange)  # the setUp cleanup takes it out again

        self.assertNotIn("hours_range", kinds.KINDS)
        with self.assertRaises(TemplateError) as refused:
            load_template(TEMPLATE)
        self.assertIn('unknown kind "hours_range"', str(refused.exception))
