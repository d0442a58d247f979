"""services.import_pairings: a whole pairing CSV in a handful of queries, with pair()'s rules,
events and emails."""

from django.core import mail
from django.test import override_settings

from mentorpact.audit.models import Event
from mentorpact.pairing import services
from mentorpact.pairing.imports import Pairing
from mentorpact.pairing.tests import IMMEDIATE_TASKS, enrol, set_capacity
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.programs.models import Enrolment
from mentorpact.progress.models import DueEntry
from mentorpact.test import BaseTestCase, events_of

MENTEE = Enrolment.Role.MENTEE
MENTOR = Enrolment.Role.MENTOR


@override_settings(TASKS=IMMEDIATE_TASKS)
class ImportPairingsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.max = enrol(self.program, "max@example.org", "Max Mentor", MENTOR, capacity=2)
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", MENTEE)
        self.noah = enrol(self.program, "noah@example.org", "Noah Newcomer", MENTEE)

    def run_import(self, *rows):
        pairings = [
            Pairing(line=line, mentor=mentor, mentee=mentee)
            for line, (mentor, mentee) in enumerate(rows, start=2)
        ]
        return services.import_pairings(program=self.program, pairings=pairings, actor=self.cora)

    def test_it_pairs_every_row_with_its_due_date_and_created_event(self):
        made = self.run_import((self.max, self.nina), (self.max, self.noah))
        self.assertEqual(
            sorted(p.mentee.email for p in Partnership.objects.filter(mentor=self.max)),
            ["nina@example.org", "noah@example.org"],
        )
        for partnership in made:
            partnership.refresh_from_db()
            self.assertEqual(partnership.status, Partnership.Status.DRAFTING)
            event = events_of(partnership).get()
            self.assertEqual(event.action, PartnershipAction.CREATED)
            self.assertEqual(event.actor, self.cora)
            self.assertEqual(event.program_id, self.program.pk)
            self.assertEqual(event.details["paired_by"], "coordinator")
            self.assertEqual(
                event.details["agreement_due_on"], partnership.agreement_due_on.isoformat()
            )
        # Their due items are rows at once, as a pairing made on the page has (and so the
        # dashboard's fact rows, which follow progress.signals.due_refreshed).
        due = DueEntry.objects.filter(partnership__in=made, kind="agreement_due")
        self.assertEqual(due.filter(done_at__isnull=True).count(), 2)

    def test_both_people_of_every_pair_are_emailed_only_after_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            self.run_import((self.max, self.nina), (self.max, self.noah))
            self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            ["max@example.org", "max@example.org", "nina@example.org", "noah@example.org"],
        )
        to_nina = next(m for m in mail.outbox if m.to == ["nina@example.org"])
        self.assertEqual(to_nina.subject, "Your mentor in Peer Mentoring: Max Mentor")

    def test_a_mentor_over_capacity_within_the_file_refuses_the_whole_file(self):
        set_capacity(self.program, self.max, 1)
        events = Event.objects.count()
        with self.assertRaises(services.PairingError) as refused:
            self.run_import((self.max, self.nina), (self.max, self.noah))
        self.assertEqual(
            refused.exception.messages,
            [
                "Line 3: Max Mentor already mentors 1 of the 1 mentee they can take in Peer "
                "Mentoring. Raise their capacity by importing their row again with a larger "
                "one (People), or choose another mentor."
            ],
        )
        self.assertFalse(Partnership.objects.filter(mentor=self.max).exists())
        self.assertEqual(Event.objects.count(), events)

    def test_people_without_the_role_are_refused_by_line(self):
        with self.assertRaises(services.PairingError) as refused:
            self.run_import((self.max, self.nina), (self.nina, self.max))
        self.assertEqual(
            refused.exception.messages,
            [
                "Line 3: Nina Newcomer is not a mentor in Peer Mentoring. Max Mentor is not a "
                "mentee in Peer Mentoring."
            ],
        )
        self.assertFalse(Partnership.objects.filter(mentee=self.nina).exists())

    def test_a_mentee_listed_twice_is_refused(self):
        set_capacity(self.program, self.mia, 2)
        with self.assertRaises(services.PairingError) as refused:
            self.run_import((self.max, self.nina), (self.mia, self.nina))
        self.assertEqual(
            refused.exception.messages,
            ["Line 3: Nina Newcomer is already paired with Max Mentor."],
        )

    def test_a_mentee_whose_partnership_ended_early_is_recorded_as_reassigned(self):
        partnership_services.change_status(
            partnership=self.partnership, to_status="ended_early", actor=self.cora
        )
        [again] = self.run_import((self.max, self.theo))
        event = events_of(again).get(action=PartnershipAction.CREATED)
        self.assertEqual(event.details["reassigned_from"], str(self.partnership.public_id))

    def test_the_queries_do_not_grow_with_the_rows(self):
        def file_of(size: int, tag: str) -> list[Pairing]:
            mentor = enrol(self.program, f"{tag}@example.org", f"Mentor {tag}", MENTOR, size)
            return [
                Pairing(
                    line=n + 2,
                    mentor=mentor,
                    mentee=enrol(self.program, f"{tag}{n}@example.org", f"Mentee {n}", MENTEE),
                )
                for n in range(size)
            ]

        small, large = file_of(10, "s"), file_of(50, "l")
        # 11, the audit chain's head locked once per file (audit.services.record_all), and 21
        # to write the pairs' due rows and dashboard facts (progress.due_rows.refresh_many:
        # a fixed number a batch of 500).
        with self.captureOnCommitCallbacks(execute=False):
            with self.assertNumQueries(32):
                services.import_pairings(program=self.program, pairings=small, actor=self.cora)
            with self.assertNumQueries(32):
                made = services.import_pairings(
                    program=self.program, pairings=large, actor=self.cora
                )
        self.assertEqual(len(made), 50)
