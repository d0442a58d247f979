from django.core import mail
from django.test import override_settings

from mentorpact.accounts.models import User
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import PASSWORD, BaseTestCase, events_of, kinds

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE_TASKS)
class OfficeTestCase(BaseTestCase):
    """The personas, plus Ada (a site administrator) and Carl, who coordinates another
    program and nothing of Cora's."""

    def setUp(self) -> None:
        super().setUp()
        self.ada = User.objects.create_superuser("ada@example.org", PASSWORD, full_name="Ada Admin")
        self.carl = User.objects.create_user("carl@example.org", PASSWORD, full_name="Carl Other")
        self.other_program = Program.objects.create(name="Other Program")
        Enrolment.objects.create(
            program=self.other_program, user=self.carl, role=Enrolment.Role.COORDINATOR
        )

    def events(self, program=None) -> list[str]:
        return kinds(events_of(program or self.program))

    def sent_to(self) -> list[str]:
        return [message.to[0] for message in mail.outbox]
