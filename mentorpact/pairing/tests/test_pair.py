from datetime import UTC, date, datetime

from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from mentorpact.pairing import services
from mentorpact.pairing.services import PairingError
from mentorpact.pairing.tests import IMMEDIATE_TASKS, enrol, set_capacity
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import BaseTestCase, events_of

MENTEE = Enrolment.Role.MENTEE
MENTOR = Enrolment.Role.MENTOR


@override_settings(TASKS=IMMEDIATE_TASKS)
class PairTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", MENTEE)
        set_capacity(self.program, self.mia, 2)

    def pair(self, mentor=None, mentee=None, **kwargs) -> Partnership:
        return services.pair(
            program=self.program,
            mentor=mentor or self.mia,
            mentee=mentee or self.nina,
            actor=self.cora,
            **kwargs,
        )

    def test_it_pairs_a_mentor_with_a_waiting_mentee_and_writes_the_event(self):
        partnership = self.pair()
        partnership.refresh_from_db()
        self.assertEqual(partnership.status, Partnership.Status.DRAFTING)
        self.assertEqual((partnership.mentor, partnership.mentee), (self.mia, self.nina))
        event = events_of(partnership).get()
        self.assertEqual(event.action, PartnershipAction.CREATED)
        self.assertEqual(event.actor, self.cora)
        self.assertEqual(event.details["paired_by"], "coordinator")
        self.assertEqual(
            event.details["agreement_due_on"], partnership.agreement_due_on.isoformat()
        )

    def test_it_emails_both_people_only_once_the_pairing_is_committed(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.pair()
            self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), [self.mia.email, self.nina.email])

    def test_the_email_names_the_partner_the_first_step_and_the_due_date(self):
        self.nina.preferred_name = "Nin"
        self.nina.department = "Chemistry"
        self.nina.save()
        with self.captureOnCommitCallbacks(execute=True):
            self.pair()
        to_mia = next(m for m in mail.outbox if m.to == [self.mia.email])
        self.assertEqual(to_mia.subject, "Your mentee in Peer Mentoring: Nin")
        self.assertIn("your mentee is Nin (Chemistry), nina@example.org", to_mia.body)
        self.assertIn("both sign it by 23 February 2027", to_mia.body)
        self.assertIn("Your signed agreement is due on 23 February 2027.", to_mia.body)
        to_nina = next(m for m in mail.outbox if m.to == [self.nina.email])
        self.assertEqual(to_nina.subject, "Your mentor in Peer Mentoring: Mia Mentor")
        self.assertIn("Hello Nin,", to_nina.body)
        html = to_nina.alternatives[0][0]
        self.assertIn(f"/partnerships/{Partnership.objects.get(mentee=self.nina).public_id}/", html)

    def test_it_refuses_a_mentor_at_capacity_with_a_clear_message(self):
        set_capacity(self.program, self.mia, 1)  # Theo has the one place
        with self.assertRaises(PairingError) as refused:
            self.pair()
        self.assertEqual(
            refused.exception.message_dict["mentor"],
            [
                "Mia Mentor already mentors 1 of the 1 mentee they can take in Peer Mentoring. "
                "Raise their capacity by importing their row again with a larger one (People), "
                "or choose another mentor."
            ],
        )
        self.assertFalse(Partnership.objects.filter(mentee=self.nina).exists())

    def test_a_place_freed_by_an_ended_partnership_can_be_taken(self):
        set_capacity(self.program, self.mia, 1)
        partnership_services.change_status(
            partnership=self.partnership, to_status="ended_early", actor=self.cora
        )
        self.assertEqual(self.pair().mentee, self.nina)

    def test_it_refuses_a_mentee_who_already_has_a_mentor(self):
        max_ = enrol(self.program, "max@example.org", "Max Mentor", MENTOR)
        with self.assertRaises(PairingError) as refused:
            self.pair(mentor=max_, mentee=self.theo)
        self.assertEqual(
            refused.exception.message_dict["mentee"],
            ["Theo Mentee is already paired with Mia Mentor."],
        )

    def test_it_refuses_people_without_that_role_in_the_program(self):
        with self.assertRaises(PairingError) as refused:
            self.pair(mentor=self.olive, mentee=self.mia)
        self.assertEqual(
            refused.exception.message_dict,
            {
                "mentor": ["Olive Outsider is not a mentor in Peer Mentoring."],
                "mentee": ["Mia Mentor is not a mentee in Peer Mentoring."],
            },
        )

    def test_a_mentor_of_another_program_is_not_a_mentor_here(self):
        other = Program.objects.create(name="Other Program")
        max_ = enrol(other, "max@example.org", "Max Mentor", MENTOR)
        with self.assertRaises(PairingError):
            self.pair(mentor=max_)

    def test_a_mentee_whose_partnership_ended_early_is_paired_again_as_a_reassignment(self):
        partnership_services.change_status(
            partnership=self.partnership, to_status="ended_early", actor=self.cora
        )
        max_ = enrol(self.program, "max@example.org", "Max Mentor", MENTOR)
        again = self.pair(mentor=max_, mentee=self.theo)
        event = events_of(again).get(action=PartnershipAction.CREATED)
        self.assertEqual(event.details["reassigned_from"], str(self.partnership.public_id))
        self.assertEqual(
            Partnership.objects.filter(mentee=self.theo, status__in=Partnership.OPEN_STATUSES)
            .get()
            .mentor,
            max_,
        )

    def test_the_database_refuses_a_mentees_second_open_partnership(self):
        max_ = enrol(self.program, "max@example.org", "Max Mentor", MENTOR)
        with self.assertRaises(ValidationError) as refused:
            partnership_services.create_partnership(
                program=self.program, mentor=max_, mentee=self.theo
            )
        self.assertIn("already has a mentor", str(refused.exception))


class FairDueDateTestCase(BaseTestCase):
    """The program's date or its days after pairing, whichever is later (issue 9, item 5)."""

    def setUp(self) -> None:
        super().setUp()
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", MENTEE)
        set_capacity(self.program, self.mia, 2)

    def pair_on(self, day: date) -> Partnership:
        now = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        return services.pair(
            program=self.program, mentor=self.mia, mentee=self.nina, actor=self.cora, now=now
        )

    def test_a_pair_paired_in_good_time_is_due_on_the_programs_date(self):
        self.assertEqual(self.pair_on(date(2027, 1, 2)).agreement_due_on, date(2027, 2, 23))

    def test_a_pair_paired_after_the_kickoff_gets_the_days_after_pairing(self):
        partnership = self.pair_on(date(2027, 2, 20))  # three days before the program's date
        self.assertEqual(partnership.agreement_due_on, date(2027, 3, 20))  # 28 days later

    def test_the_days_after_pairing_are_the_programs_setting(self):
        self.program.agreement_days_after_pairing = 10
        self.program.save()
        self.assertEqual(self.pair_on(date(2027, 2, 20)).agreement_due_on, date(2027, 3, 2))

    def test_a_program_without_a_date_gives_the_days_after_pairing(self):
        self.program.agreement_due_date = None
        self.program.save()
        self.assertEqual(self.pair_on(date(2026, 12, 1)).agreement_due_on, date(2026, 12, 29))
