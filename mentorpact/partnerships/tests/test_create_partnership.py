from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import TransactionTestCase

from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.partnerships.services import change_status, create_partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import BaseTestCase, PersonasMixin, events_of, make_user, run_at_once


class CreatePartnershipTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.nina = make_user("nina@example.org", "Nina Newmentee")
        Enrolment.objects.create(program=self.program, user=self.nina, role=Enrolment.Role.MENTEE)

    def create(self, **kwargs) -> Partnership:
        args = {
            "program": self.program,
            "mentor": self.mia,
            "mentee": self.nina,
            "actor": self.cora,
        }
        return create_partnership(**(args | kwargs))

    def assertRefused(self, errors: dict[str, str], **kwargs) -> None:
        before = (
            Partnership.objects.count(),
            Event.objects.filter(action__startswith="partnership.").count(),
        )
        with self.assertRaises(ValidationError) as caught:
            self.create(**kwargs)
        self.assertEqual(
            {
                field: " ".join(messages)
                for field, messages in caught.exception.message_dict.items()
            },
            errors,
        )
        self.assertEqual(
            (
                Partnership.objects.count(),
                Event.objects.filter(action__startswith="partnership.").count(),
            ),
            before,
        )

    def test_it_creates_a_drafting_partnership(self):
        partnership = self.create()
        partnership.refresh_from_db()
        self.assertEqual(partnership.status, Partnership.Status.DRAFTING)
        self.assertEqual((partnership.mentor, partnership.mentee), (self.mia, self.nina))
        self.assertEqual(partnership.program, self.program)

    def test_it_writes_a_created_event(self):
        partnership = self.create()
        event = events_of(partnership, "partnership").get()
        self.assertEqual(event.action, PartnershipAction.CREATED)
        self.assertEqual(event.actor, self.cora)
        self.assertEqual(
            event.details,
            {"to_status": "drafting", "agreement_due_on": partnership.agreement_due_on.isoformat()},
        )

    def test_a_partnership_paired_in_the_past_is_dated_then(self):
        paired = datetime(2026, 1, 21, 10, 0, tzinfo=UTC)
        partnership = self.create(now=paired)
        partnership.refresh_from_db()
        self.assertEqual((partnership.created_at, partnership.status_changed_at), (paired, paired))
        self.assertEqual(events_of(partnership, "partnership").get().at, paired)
        # Without `now` (the personas' partnership), the clock stamps it as before.
        self.assertGreater(self.partnership.created_at, paired)

    def test_it_refuses_a_mentor_not_enrolled_in_the_program(self):
        self.assertRefused(
            {"mentor": "Olive Outsider is not a mentor in Peer Mentoring."}, mentor=self.olive
        )

    def test_it_refuses_a_mentee_not_enrolled_in_the_program(self):
        self.assertRefused(
            {"mentee": "Olive Outsider is not a mentee in Peer Mentoring."}, mentee=self.olive
        )

    def test_it_names_both_people_when_neither_is_enrolled(self):
        stranger = make_user("sam@example.org", "Sam Stranger")
        self.assertRefused(
            {
                "mentor": "Olive Outsider is not a mentor in Peer Mentoring.",
                "mentee": "Sam Stranger is not a mentee in Peer Mentoring.",
            },
            mentor=self.olive,
            mentee=stranger,
        )

    def test_it_refuses_people_enrolled_in_the_wrong_role(self):
        self.assertRefused(
            {"mentor": "Theo Mentee is not a mentor in Peer Mentoring."},
            mentor=self.theo,
            mentee=self.nina,
        )

    def test_it_refuses_people_enrolled_only_in_another_program(self):
        other = Program.objects.create(name="Another Program")
        Enrolment.objects.create(program=other, user=self.olive, role=Enrolment.Role.MENTEE)
        self.assertRefused(
            {"mentee": "Olive Outsider is not a mentee in Peer Mentoring."}, mentee=self.olive
        )

    def test_it_refuses_a_mentor_who_would_mentor_themselves(self):
        Enrolment.objects.create(program=self.program, user=self.mia, role=Enrolment.Role.MENTEE)
        self.assertRefused({"mentee": "A mentor cannot be their own mentee."}, mentee=self.mia)

    def test_it_refuses_a_second_open_partnership_for_the_same_pair(self):
        message = "Mia Mentor and Theo Mentee already have an open partnership in Peer Mentoring."
        self.assertRefused({"mentee": message}, mentee=self.theo)

    def test_a_pair_may_start_again_once_their_partnership_has_closed(self):
        change_status(partnership=self.partnership, to_status="ended_early", actor=self.cora)
        again = self.create(mentee=self.theo)
        self.assertNotEqual(again.pk, self.partnership.pk)
        self.assertEqual(again.status, Partnership.Status.DRAFTING)

    def test_the_database_refuses_a_second_open_partnership_for_the_same_pair(self):
        # The constraint, not only the service's check, guards against two concurrent creates.
        with self.assertRaises(IntegrityError), transaction.atomic():
            Partnership.objects.create(program=self.program, mentor=self.mia, mentee=self.theo)

    def test_the_database_refuses_a_partnership_with_one_person_twice(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Partnership.objects.create(program=self.program, mentor=self.mia, mentee=self.mia)

    def test_the_database_allows_the_same_pair_in_another_program(self):
        other = Program.objects.create(name="Another Program")
        Partnership.objects.create(program=other, mentor=self.mia, mentee=self.theo)
        self.assertEqual(Partnership.objects.filter(mentor=self.mia, mentee=self.theo).count(), 2)


class ConcurrentCreatePartnershipTestCase(PersonasMixin, TransactionTestCase):
    def test_two_concurrent_creates_for_one_pair_make_one_partnership(self):
        nina = make_user("nina@example.org", "Nina Newmentee")
        Enrolment.objects.create(program=self.program, user=nina, role=Enrolment.Role.MENTEE)

        def create():
            return create_partnership(program=self.program, mentor=self.mia, mentee=nina)

        results = run_at_once(create, create)

        created = [r for r in results if isinstance(r, Partnership)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        self.assertEqual((len(created), len(refused)), (1, 1), results)
        self.assertEqual(
            refused[0].messages,
            ["Mia Mentor and Nina Newmentee already have an open partnership in Peer Mentoring."],
        )
        self.assertEqual(Partnership.objects.filter(mentee=nina).count(), 1)
        self.assertEqual(
            events_of(Partnership.objects.get(mentee=nina), "partnership").count(),
            1,
        )
