"""The one error pattern: mentorpact/lib/ui.py, includes/error_summary.html and field.html."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from django import forms
from django.template import Context, Template
from django.test import SimpleTestCase


class PlaceForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As your partner knows it")
    mode = forms.ChoiceField(
        label="How", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


class ErrorSummaryTestCase(SimpleTestCase):
    def test_it_links_each_error_to_its_input_and_lists_the_form_s_own_errors(self):
        form = PlaceForm(data={"name": ""})
        html = render("{% error_summary form %}", form=form)
        self.assertIn('role="alert"', html)
        self.assertIn('tabindex="-1"', html)
        self.assertIn("data-error-summary", html)
        self.assertIn("There is a problem", html)
        self.assertIn("<li>Something about the whole form.</li>", html)
        self.assertIn('<a href="#id_name">Name: This field is required.</a>', html)
        # Radio buttons have no single id: the link lands on the first option.
        self.assertIn('<a href="#id_mode_0">How: This field is required.</a>', html)

    def test_it_draws_nothing_for_an_unbound_or_valid_form(self):
        self.assertEqual(render("{% error_summary form %}", form=PlaceForm()).strip(), "")

    def test_it_takes_several_forms(self):
        html = render("{% error_summary a b %}", a=PlaceForm(data={}), b=PlaceForm())
        self.assertEqual(html.count("<li>"), 3)

    def test_the_title_prefix_follows_any_bound_form_with_errors(self):
        source = "{% error_title_prefix %}Page"
        self.assertEqual(render(source, other=PlaceForm(data={})), "Error: Page")
        self.assertEqual(render(source, other=PlaceForm()), "Page")
        self.assertEqual(render(source, page_has_errors=True), "Error: Page")
        self.assertEqual(render(source, page_has_errors=False, x=object()), "Page")


class FieldTestCase(SimpleTestCase):
    def test_the_message_is_above_the_input_described_by_it_and_not_a_live_region(self):
        form = PlaceForm(data={"name": ""})
        html = render('{% include "includes/field.html" with field=form.name %}', form=form)
        self.assertLess(html.index('id="id_name_error"'), html.index("<input"))
        self.assertRegex(html, r'aria-describedby="id_name_helptext id_name_error"')
        self.assertIn('aria-invalid="true"', html)
        self.assertNotIn("role=", html)

    def test_typed_input_is_kept(self):
        form = PlaceForm(data={"name": "Caf\u00e9 <Ada>"})
        html = render('{% include "includes/field.html" with field=form.name %}', form=form)
        self.assertTrue(re.search(r'value="Caf\u00e9 &lt;Ada&gt;"', html))


class LocalTimeTestCase(SimpleTestCase):
    def test_a_moment_shows_in_the_viewer_s_zone_with_the_zone_named(self):
        moment = datetime(2027, 2, 23, 13, 5, tzinfo=UTC)
        berlin = SimpleNamespace(time_zone="Europe/Berlin")
        self.assertEqual(
            render("{{ m|local_time:u }}", m=moment, u=berlin),
            "23 Feb 2027, 14:05 CET (Europe/Berlin)",
        )
        # Someone signed out (no zone) reads UTC, named.
        self.assertEqual(render("{{ m|local_time:u }}", m=moment, u=None), "23 Feb 2027, 13:05 UTC")

    def test_a_span_names_one_day_when_both_ends_fall_on_it(self):
        start = datetime(2026, 12, 10, 18, 0, tzinfo=UTC)
        chicago = SimpleNamespace(time_zone="America/Chicago")
        same_day = SimpleNamespace(starts_at=start, ends_at=start + timedelta(minutes=90))
        self.assertEqual(
            render("{{ e|local_span:u }}", e=same_day, u=chicago),
            "10 Dec 2026, 12:00\u201313:30 CST (America/Chicago)",
        )
        # Past the viewer's midnight: both moments in full.
        overnight = SimpleNamespace(starts_at=start, ends_at=start + timedelta(hours=13))
        self.assertEqual(
            render("{{ e|local_span:u }}", e=overnight, u=chicago),
            "10 Dec 2026, 12:00 CST (America/Chicago) to 11 Dec 2026, 01:00 CST (America/Chicago)",
        )


def test_a_summary_link_adds_no_colon_after_a_labels_own_punctuation():
    from mentorpact.lib.ui import SummaryError

    assert SummaryError("Say when.", "#id_x", "Ends at").lead == "Ends at:"
    assert SummaryError("Choose one.", "#id_x", "What are you asking for?").lead == (
        "What are you asking for?"
    )
    assert SummaryError("Write it.", "#id_x", "Goal:").lead == "Goal:"
