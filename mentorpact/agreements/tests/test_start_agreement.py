from datetime import date

from mentorpact.agreement_templates.selectors import chosen_template, chosen_version
from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import services
from mentorpact.agreements.models import Agreement, AgreementAction, AgreementVersion
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.partnerships import services as partnership_services
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import events_of, make_user


class StartAgreementTestCase(AgreementTestCase):
    def other_partnership(self, template=None, **program_fields):
        program = Program.objects.create(name="Second program", **program_fields)
        set_template(program, template)
        ann = make_user("ann@example.org", "Ann Ash")
        ben = make_user("ben@example.org", "Ben Birch")
        Enrolment.objects.create(program=program, user=ann, role=Enrolment.Role.MENTOR)
        Enrolment.objects.create(program=program, user=ben, role=Enrolment.Role.MENTEE)
        return partnership_services.create_partnership(program=program, mentor=ann, mentee=ben)

    def test_it_drafts_from_the_programs_template_version(self):
        version = self.draft()
        self.assertEqual(version.number, 1)
        self.assertEqual(version.status, AgreementVersion.Status.DRAFT)
        self.assertEqual(version.template_version, chosen_version(self.program))
        self.assertEqual(version.content, {})
        self.assertEqual(len(version.content_sha256), 64)

    def test_it_records_a_drafted_event(self):
        event = events_of(self.agreement).get()
        self.assertEqual(event.action, AgreementAction.DRAFTED)
        self.assertEqual(event.actor, self.mia)

    def test_the_programs_own_due_date_wins(self):
        self.assertEqual(self.agreement.due_on, date(2027, 2, 23))

    def test_without_a_program_due_date_the_templates_rule_decides(self):
        partnership = self.other_partnership(
            kickoff_date=date(2027, 3, 1), template=chosen_template(self.program)
        )
        agreement = services.start_agreement(partnership=partnership, actor=None)
        self.assertEqual(agreement.due_on, date(2027, 3, 29))  # 28 days after the kick-off

    def test_starting_twice_returns_the_same_agreement(self):
        again = services.start_agreement(partnership=self.partnership, actor=self.theo)
        self.assertEqual(again.pk, self.agreement.pk)
        self.assertEqual(Agreement.objects.count(), 1)
        self.assertEqual(AgreementVersion.objects.count(), 1)

    def test_it_refuses_a_program_without_a_template(self):
        partnership = self.other_partnership()
        with self.assertRaisesMessage(services.AgreementError, "has no agreement template"):
            services.start_agreement(partnership=partnership, actor=None)
        self.assertFalse(partnership.agreements.exists())
