"""A POST of the rendered form reads back as the values it showed, for every field kind:
render the form with values, submit it as a browser would, parse it, clean it."""

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorpact.agreement_templates.rendering import build_form, parse_post
from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreement_templates.values import validate_values

from . import EVERY_KIND, submitted

TEMPLATE = load_template(EVERY_KIND)

FILLED = {
    "goal": 'Grow <b>& "lead"</b>',
    "notes": "\nStarts with a line break,\r\nand has two lines.",
    "objectives": ["Write", "Review", "Publish"],
    "ideas": ["One idea"],
    "goals": [
        {
            "goal": "Lead",
            "measure": "I run a release",
            "target_date": "2027-05-01",
            "horizon": "short",
        },
        {"goal": "Manage", "horizon": "long"},
    ],
    "short_goals": [{"goal": "Ship it"}],
    "months": 6,
    "modes": {"face_to_face": 2, "other": 1, "other_label": "Slack"},
    "organiser": "mentor",
    "channel": {"choice": "other", "other_label": "Signal"},
    "ways": ["online", "phone"],
    "venues": {"choices": ["cafe", "other"], "other_label": "The park"},
    "end_date": "2027-02-23",
    "places": [{"what": "Conference", "when": "2027-06-01"}, {"what": "Journal club"}],
    "confidentiality": {"mentor": True, "mentee": True},
    "mentee_name": "Theo",
    "mentor_goals": "Mentor more",
}


def round_trip(values, *, party=None, errors=None):
    form = build_form(
        TEMPLATE, values, errors, party=party, names={"mentee": "Theo", "mentor": "Mia"}
    )
    html = render_to_string("agreement_templates/_form.html", {"form": form})
    return parse_post(TEMPLATE, submitted(html), party=party)


class ParsePostTest(SimpleTestCase):
    def test_every_field_kind_reads_back_as_it_was_shown(self):
        parsed = round_trip(FILLED)

        cleaned, errors = validate_values(TEMPLATE, parsed)
        self.assertEqual(errors, {})
        self.assertEqual(cleaned, FILLED)

    def test_an_empty_form_reads_back_as_every_field_present_and_empty(self):
        parsed = round_trip({})

        self.assertEqual(set(parsed), {f.key for f in TEMPLATE.fields()})
        self.assertEqual(parsed["objectives"], ["", "", ""])
        self.assertEqual(parsed["confidentiality"], {"mentor": False, "mentee": False})
        self.assertEqual(validate_values(TEMPLATE, parsed), ({}, {}))

    def test_a_partner_submits_only_their_own_fields_and_acceptance(self):
        parsed = round_trip(FILLED, party="mentee")

        self.assertNotIn("mentor_goals", parsed)
        self.assertEqual(parsed["mentee_name"], "Theo")
        self.assertEqual(parsed["confidentiality"], {"mentee": True})
        cleaned, errors = validate_values(TEMPLATE, parsed, party="mentee")
        self.assertEqual(errors, {})
        self.assertEqual(cleaned["confidentiality"], {"mentee": True})

    def test_typed_text_that_does_not_validate_is_shown_again_as_typed(self):
        parsed = round_trip(
            {"months": "six", "end_date": "2027-02-30", "objectives": ["a", "x" * 600]}
        )

        again = round_trip(parsed)

        self.assertEqual(again["months"], "six")
        self.assertEqual(again["objectives"][:2], ["a", "x" * 600])

    def test_a_made_up_item_number_cannot_build_a_huge_list(self):
        data = submitted("")
        data["f.ideas.9999999"] = "far away"

        parsed = parse_post(TEMPLATE, data)

        self.assertEqual(len(parsed["ideas"]), 1001)
        self.assertEqual(
            validate_values(TEMPLATE, {"ideas": parsed["ideas"]})[1],
            {"ideas": ["Enter no more than 1000 entries."]},
        )

    @settings(max_examples=40, deadline=None)
    @given(
        text=st.text(
            st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
            | st.sampled_from(["\n", "\t", "<", "&", '"']),
            min_size=1,
            max_size=40,
        ).filter(lambda t: t.strip()),
        months=st.integers(min_value=1, max_value=24),
        count=st.integers(min_value=0, max_value=3),
    )
    def test_any_text_survives_the_round_trip(self, text, months, count):
        values = {
            "notes": text,
            "goal": text.replace("\n", " ").replace("\r", " ")[:200],
            "ideas": [text[:100]] * count,
            "months": months,
            "modes": {"phone": count} if count else {},
        }
        values = {k: v for k, v in values.items() if v not in ({}, [], "") and str(v).strip()}
        cleaned, errors = validate_values(TEMPLATE, round_trip(values))
        expected, _ = validate_values(TEMPLATE, values)
        self.assertEqual(errors, {})
        self.assertEqual(cleaned, expected)
