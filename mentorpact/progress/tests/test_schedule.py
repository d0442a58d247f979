import datetime

from django.test import SimpleTestCase

from mentorpact.agreement_templates.schema import builtin_templates, load_template
from mentorpact.lib.dates import add_months
from mentorpact.progress.schedule import term_of

D = datetime.date


def template(slug: str, extra_rules: str = ""):
    source = builtin_templates()[slug]
    if extra_rules:
        source = source.replace("rules:\n", "rules:\n" + extra_rules, 1)
    return load_template(source)


class AddMonthsTest(SimpleTestCase):
    def test_it_keeps_the_day_or_takes_the_months_last(self):
        self.assertEqual(add_months(D(2026, 9, 1), 6), D(2027, 3, 1))
        self.assertEqual(add_months(D(2027, 1, 31), 1), D(2027, 2, 28))
        self.assertEqual(add_months(D(2026, 11, 15), 14), D(2028, 1, 15))


class TermTest(SimpleTestCase):
    def test_aspe_ends_after_the_agreed_months_with_a_midpoint_halfway(self):
        term = term_of(template("aspe-partnership"), {"months": 6}, starts_on=D(2026, 9, 1))
        self.assertEqual(term.ends_on, D(2027, 3, 1))
        self.assertEqual(term.midpoint_on, D(2026, 11, 30))
        self.assertEqual(term.end_source, "6 months agreed")

    def test_remote_ends_on_the_agreed_date(self):
        term = term_of(
            template("remote-planning"), {"end_date": "2026-12-18"}, starts_on=D(2026, 6, 22)
        )
        self.assertEqual((term.ends_on, term.midpoint_on), (D(2026, 12, 18), D(2026, 9, 19)))

    def test_whprms_falls_back_to_its_suggested_three_months(self):
        term = term_of(template("whprms-partnership"), {}, starts_on=D(2026, 10, 5))
        self.assertEqual(term.ends_on, D(2027, 1, 5))
        self.assertEqual(term.end_source, "3 months suggested")

    def test_red_has_no_end_unless_the_program_planned_one(self):
        red = template("red-peer-mentoring")
        self.assertIsNone(term_of(red, {}, starts_on=D(2026, 2, 17)).ends_on)
        term = term_of(red, {}, starts_on=D(2026, 2, 17), planned_end=D(2027, 1, 26))
        self.assertEqual(term.ends_on, D(2027, 1, 26))
        self.assertIsNotNone(term.midpoint_on)

    def test_a_program_can_switch_the_midpoint_check_off(self):
        aspe = template("aspe-partnership", "  midpoint_check: false\n")
        term = term_of(aspe, {"months": 6}, starts_on=D(2026, 9, 1))
        self.assertEqual(term.ends_on, D(2027, 3, 1))
        self.assertIsNone(term.midpoint_on)
