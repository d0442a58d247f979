"""Every date the product accepts is from 1970 to 100 years ahead (lib/bounds.py), refused
beside its field: program settings, an agreement's date, goals and table answers, and the
dates a template or a program's rule overrides write."""

import datetime

from django.test import SimpleTestCase, TestCase

from mentorpact.agreement_templates import shape
from mentorpact.agreement_templates.schema import load_template
from mentorpact.agreement_templates.values import validate_values
from mentorpact.agreements.tests.base import pact_yaml
from mentorpact.office.forms import SettingsForm
from mentorpact.programs.models import Program

TOO_EARLY, TOO_LATE = "1800-01-01", "9999-12-31"


class AgreementDateTests(SimpleTestCase):
    def errors(self, day: str) -> dict:
        template = load_template(pact_yaml())
        _, errors = validate_values(template, {"first_meeting": day}, party="mentee")
        return errors

    def test_a_date_answer_outside_the_range_is_refused_beside_the_field(self):
        self.assertEqual(
            self.errors(TOO_LATE)["first_meeting"],
            [f"Enter a date before the end of {datetime.date.today().year + 100}."],
        )
        self.assertEqual(
            self.errors(TOO_EARLY)["first_meeting"], ["Enter a date from 1 January 1970 on."]
        )

    def test_a_date_in_the_range_is_kept(self):
        self.assertNotIn("first_meeting", self.errors("2027-02-23"))

    def test_a_template_date_outside_the_range_is_refused(self):
        with self.assertRaisesMessage(Exception, "9999-12-31: Enter a date before the end"):
            shape.check_date(TOO_LATE)
        self.assertEqual(shape.check_date("2027-02-23"), datetime.date(2027, 2, 23))


class ProgramSettingsDateTests(TestCase):
    def form(self, **dates: str) -> SettingsForm:
        program = Program.objects.create(name="Peer Mentoring")
        data = {"name": "Peer Mentoring", "agreement_days_after_pairing": "14", **dates}
        return SettingsForm(data, instance=program)

    def test_kickoff_and_due_dates_outside_the_range_are_refused_beside_them(self):
        form = self.form(kickoff_date=TOO_EARLY, agreement_due_date=TOO_LATE)
        self.assertFalse(form.is_valid())
        self.assertEqual(form.errors["kickoff_date"], ["Enter a date from 1 January 1970 on."])
        self.assertIn("Enter a date before the end of", form.errors["agreement_due_date"][0])

    def test_dates_in_the_range_pass(self):
        form = self.form(kickoff_date="2027-01-10", agreement_due_date="2027-02-01")
        form.is_valid()
        self.assertNotIn("kickoff_date", form.errors)
        self.assertNotIn("agreement_due_date", form.errors)
