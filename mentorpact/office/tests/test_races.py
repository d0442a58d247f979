"""Races in the program office. Threads need a real database: PostgreSQL, or SQLite with
SQLITE_TEST_PATH (run_at_once skips on in-memory SQLite)."""

from django.core.exceptions import ValidationError
from django.test import TransactionTestCase, override_settings

from mentorpact.office import services
from mentorpact.office.models import Invitation
from mentorpact.office.tests.base import IMMEDIATE_TASKS
from mentorpact.programs.models import Enrolment
from mentorpact.test import PersonasMixin, make_user, run_at_once


@override_settings(TASKS=IMMEDIATE_TASKS)
class OfficeRaceTestCase(PersonasMixin, TransactionTestCase):
    def test_one_invitation_link_used_twice_at_once_is_accepted_once(self):
        services.enrol_people(
            program=self.program,
            people=[services.Person(email="ivy@example.org", full_name="Ivy", role="mentee")],
            actor=self.cora,
        )
        invitation = Invitation.objects.select_related("user").get()

        def accept(password):
            return lambda: services.accept_invitation(invitation=invitation, password=password)

        results = run_at_once(accept("first passphrase!"), accept("second passphrase!"))
        used = [r for r in results if isinstance(r, services.InvitationUsed)]
        self.assertEqual(len(used), 1, results)
        invitation.user.refresh_from_db()
        winner = "first passphrase!" if results[1] in used else "second passphrase!"
        self.assertTrue(invitation.user.check_password(winner))

    def test_two_coordinators_removing_each_other_at_once_leave_one(self):
        cody = make_user("cody@example.org", "Cody Coordinator")
        Enrolment.objects.create(program=self.program, user=cody, role="coordinator")
        results = run_at_once(
            lambda: services.remove_coordinator(program=self.program, user=cody, actor=self.cora),
            lambda: services.remove_coordinator(program=self.program, user=self.cora, actor=cody),
        )
        refused = [r for r in results if isinstance(r, ValidationError)]
        self.assertEqual(len(refused), 1, results)
        self.assertEqual(self.program.enrolments.filter(role="coordinator").count(), 1)
