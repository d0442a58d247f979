import datetime

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.rules import (
    effective_rules,
    effective_template,
    override_errors,
)
from mentorpact.agreement_templates.schema import Deadline, Duration, Rules
from mentorpact.agreement_templates.selectors import chosen_version
from mentorpact.agreement_templates.tests import set_template
from mentorpact.test import BaseTestCase


class EffectiveRulesTest(BaseTestCase):
    def use(self, slug: str, *, due=None, address="", rules=None):
        set_template(self.program, AgreementTemplate.objects.get(slug=slug))
        self.program.agreement_due_date = due
        self.program.return_address = address
        self.program.rules = rules or {}
        self.program.save()
        version = chosen_version(self.program)
        assert version is not None
        return version.as_template()

    def test_without_overrides_the_templates_rules_apply(self):
        template = self.use("red-peer-mentoring")

        self.assertEqual(effective_rules(self.program), template.rules)
        self.assertEqual(
            effective_rules(self.program).due_date(datetime.date(2027, 1, 15)),
            datetime.date(2027, 2, 23),
        )

    def test_the_programs_due_date_and_return_address_override_the_templates(self):
        self.use("red-peer-mentoring", due=datetime.date(2027, 3, 1), address="office@example.org")

        rules = effective_rules(self.program)

        self.assertEqual(rules.agreement_due, Deadline(date=datetime.date(2027, 3, 1)))
        self.assertEqual(rules.return_address, "office@example.org")

    def test_program_rules_replace_a_rule_whole_and_win_over_the_programs_columns(self):
        self.use(
            "red-peer-mentoring",
            due=datetime.date(2027, 3, 1),
            rules={
                "agreement_due": {"days_after_kickoff": 28},
                "min_contact": {"times": 2, "per": "month"},
            },
        )

        rules = effective_rules(self.program)

        self.assertEqual(rules.agreement_due, Deadline(days_after_kickoff=28))
        self.assertEqual((rules.min_contact.times, rules.min_contact.per), (2, "month"))
        self.assertEqual(rules.first_meeting_within_weeks, 4)  # untouched

    def test_a_null_override_removes_the_rule(self):
        self.use("red-peer-mentoring", rules={"networking_functions": None})

        self.assertIsNone(effective_rules(self.program).networking_functions)

    def test_duration_is_merged_key_by_key_so_the_field_it_names_stays(self):
        self.use(
            "whprms-partnership", rules={"duration": {"suggested_months": 6, "months_field": "x"}}
        )

        self.assertEqual(
            effective_rules(self.program).duration,
            Duration(months_field="months", suggested_months=6),
        )

    def test_a_program_cannot_make_a_private_agreement_readable_by_the_program(self):
        self.use(
            "university-pilot", address="office@example.org", rules={"distribution": "program"}
        )

        rules = effective_rules(self.program)

        self.assertEqual(rules.distribution, "pair")
        self.assertIsNone(rules.return_address)

    def test_an_invalid_override_is_left_out_and_the_valid_ones_kept(self):
        self.use(
            "red-peer-mentoring", rules={"min_meetings": "many", "first_meeting_within_weeks": 2}
        )

        rules = effective_rules(self.program)

        self.assertIsNone(rules.min_meetings)
        self.assertEqual(rules.first_meeting_within_weeks, 2)

    def test_override_errors_say_what_a_program_cannot_set(self):
        template = self.use("red-peer-mentoring")

        self.assertEqual(override_errors(template, {"min_meetings": 3}), [])
        self.assertEqual(
            override_errors(template, {"distribution": "pair", "min_meetings": "many"}),
            [
                "distribution: a program cannot change this rule (who receives the signed "
                "agreement is part of the form: choose another template to change it).",
                'rules.min_meetings: expected a whole number, got the text "many"',
            ],
        )
        self.assertEqual(
            override_errors(template, []), ["The program's rules must be a mapping of rule: value."]
        )

    def test_the_effective_template_keeps_the_forms_text(self):
        template = self.use("red-peer-mentoring", rules={"min_meetings": 3})

        effective = effective_template(template, self.program)

        self.assertEqual(effective.sections, template.sections)
        self.assertEqual(effective.rules.min_meetings, 3)

    def test_a_program_without_a_template_has_only_its_due_date(self):
        self.program.agreement_due_date = datetime.date(2027, 2, 23)

        self.assertEqual(
            effective_rules(self.program),
            Rules(agreement_due=Deadline(date=datetime.date(2027, 2, 23))),
        )
