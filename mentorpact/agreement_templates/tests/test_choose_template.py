from django.core.exceptions import ValidationError

from mentorpact.agreement_templates.models import AgreementTemplate, TemplateAction
from mentorpact.agreement_templates.selectors import chosen_template
from mentorpact.agreement_templates.services import choose_template, clone_template
from mentorpact.audit.models import Event
from mentorpact.programs.models import Program
from mentorpact.test import BaseTestCase


class ChooseTemplateTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.red = AgreementTemplate.objects.get(slug="red-peer-mentoring")

    def test_the_program_uses_the_template_and_an_event_says_who_chose_it(self):
        event = choose_template(program=self.program, template=self.red, user=self.cora)

        self.program.refresh_from_db()
        self.assertEqual(chosen_template(self.program), self.red)
        self.assertEqual(
            (event.action, event.program_id, event.actor, event.details),
            (
                TemplateAction.CHOSEN,
                self.program.pk,
                self.cora,
                {
                    "previous": None,
                    "version_id": self.red.latest_version().pk,
                    "version_number": self.red.latest_version().number,
                },
            ),
        )

    def test_choosing_another_names_the_previous_one(self):
        choose_template(program=self.program, template=self.red, user=self.cora)
        aspe = AgreementTemplate.objects.get(slug="aspe-partnership")

        event = choose_template(program=self.program, template=aspe, user=self.cora)

        self.assertEqual(event.details["previous"], "red-peer-mentoring")

    def test_choosing_the_same_template_again_records_nothing(self):
        choose_template(program=self.program, template=self.red, user=self.cora)

        self.assertIsNone(choose_template(program=self.program, template=self.red, user=self.cora))
        self.assertEqual(Event.objects.filter(action="template.chosen").count(), 1)

    def test_another_programs_own_template_is_refused(self):
        other = Program.objects.create(name="Other")
        theirs = clone_template(
            template=self.red, slug="theirs", title="Theirs", user=None, program=other
        )

        with self.assertRaises(ValidationError):
            choose_template(program=self.program, template=theirs, user=self.cora)

        self.program.refresh_from_db()
        self.assertIsNone(chosen_template(self.program))
