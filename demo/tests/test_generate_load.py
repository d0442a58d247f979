from collections import Counter
from io import StringIO

from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from demo.generate import LOAD_ANCHOR, generate_load
from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.programs.models import Enrolment
from mentorpact.test import events_of


class GenerateLoadTest(TestCase):
    def test_it_makes_a_program_of_n_partnerships_across_every_status(self):
        result = generate_load(partnerships=40, program_name="Big program")
        program = result.program
        self.assertEqual((result.total, result.created), (40, 40))
        self.assertEqual(
            Counter(program.partnerships.values_list("status", flat=True)),
            {"active": 20, "drafting": 8, "concluded": 8, "ended_early": 4},
        )
        roles = Counter(program.enrolments.values_list("role", flat=True))
        self.assertEqual(roles, {"coordinator": 1, "mentor": 40, "mentee": 40})
        self.assertEqual(result.sample.status, Partnership.Status.CONCLUDED)

    def test_every_partnership_has_one_event_per_step_of_its_history(self):
        program = generate_load(partnerships=20, program_name="Big program").program
        steps = {"drafting": 1, "active": 2, "ended_early": 3, "concluded": 3}
        for partnership in program.partnerships.all():
            events = list(events_of(partnership, "partnership"))
            self.assertEqual(len(events), steps[partnership.status])
            self.assertEqual(events[0].action, PartnershipAction.CREATED)
            self.assertEqual(events[-1].details["to_status"], partnership.status)
            self.assertEqual(events[0].at, partnership.created_at)
            self.assertEqual(events[-1].at, partnership.status_changed_at)

    def test_its_history_lies_in_the_past_and_is_spread_out(self):
        program = generate_load(partnerships=30, program_name="Big program").program
        created = list(program.partnerships.values_list("created_at", flat=True))
        self.assertLess(max(created), LOAD_ANCHOR)
        self.assertEqual(len(set(created)), 30)
        self.assertFalse(
            Event.objects.filter(action__startswith="partnership.", at__gt=LOAD_ANCHOR).exists()
        )

    def test_generated_people_sign_in_with_the_demo_password(self):
        result = generate_load(partnerships=3, program_name="Big program")
        mentor = result.sample.mentor
        self.assertTrue(check_password("mentorpact-demo", mentor.password))
        self.assertTrue(self.client.login(username=mentor.email, password="mentorpact-demo"))

    def test_running_it_again_with_the_same_n_adds_nothing(self):
        first = generate_load(partnerships=10, program_name="Big program")
        again = generate_load(partnerships=10, program_name="Big program")
        self.assertEqual((again.program, again.created, again.total), (first.program, 0, 10))
        self.assertEqual(Partnership.objects.count(), 10)
        self.assertEqual(Enrolment.objects.count(), 21)

    def test_a_larger_n_tops_the_program_up(self):
        generate_load(partnerships=10, program_name="Big program")
        result = generate_load(partnerships=25, program_name="Big program")
        self.assertEqual((result.created, result.total), (15, 25))
        self.assertEqual(result.program.enrolments.filter(role="mentor").count(), 25)
        self.assertEqual(Partnership.objects.values("mentor").distinct().count(), 25)

    def test_two_programs_get_their_own_people(self):
        one = generate_load(partnerships=5, program_name="One")
        two = generate_load(partnerships=5, program_name="Two")
        self.assertNotEqual(one.coordinator, two.coordinator)
        self.assertFalse(
            one.program.enrolments.filter(user__in=two.program.enrolments.values("user")).exists()
        )

    def test_the_command_prints_the_ids_a_benchmark_needs(self):
        out = StringIO()
        call_command("generate_load", partnerships=12, program_name="Bench", stdout=out)
        keys = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)
        partnership = Partnership.objects.get(public_id=keys["partnership_code"])
        self.assertEqual(str(partnership.program.public_id), keys["program_id"])
        self.assertTrue(
            partnership.program.enrolments.filter(
                user__email=keys["coordinator"], role="coordinator"
            ).exists()
        )

    def test_the_command_refuses_zero_partnerships(self):
        with self.assertRaisesMessage(CommandError, "at least 1"):
            call_command("generate_load", partnerships=0, stdout=StringIO())
