"""The audit trail is hash-chained and append-only in the database."""

from django.db import IntegrityError, transaction
from django.test import TransactionTestCase

from mentorpact.audit import chain, integrity, services
from mentorpact.audit.models import ChainHead, Event
from mentorpact.test import BaseTestCase, PersonasMixin, run_at_once, triggers_off


def problems() -> list[str]:
    return [str(p) for p in integrity.chain_problems()]


class ChainTest(BaseTestCase):
    def test_each_event_extends_the_chain(self):
        first = services.record("partnership.created", on=self.partnership, actor=self.cora)
        second = services.record("partnership.status_changed", on=self.partnership, note=(1, 2))

        self.assertEqual(second.seq, first.seq + 1)
        self.assertEqual(second.hash, chain.link(first.hash, Event.objects.get(pk=second.pk)))
        self.assertEqual(ChainHead.objects.get().seq, second.seq)
        self.assertEqual(Event.objects.get(pk=second.pk).details, {"note": [1, 2]})
        self.assertEqual(problems(), [])

    def test_many_events_at_once_are_chained_in_order(self):
        made = services.record_all(
            [services.event("program.created", program_id=n) for n in range(5)]
        )

        self.assertEqual([e.seq for e in made], list(range(made[0].seq, made[0].seq + 5)))
        self.assertEqual(problems(), [])

    def test_the_database_refuses_changing_or_deleting_an_event(self):
        event = services.record("partnership.created", on=self.partnership, actor=self.cora)

        with self.assertRaisesRegex(IntegrityError, "cannot be changed"), transaction.atomic():
            Event.objects.filter(pk=event.pk).update(action="partnership.forged")
        with self.assertRaisesRegex(IntegrityError, "cannot be"), transaction.atomic():
            Event.objects.filter(pk=event.pk)._raw_delete("default")
        self.assertEqual(Event.objects.get(pk=event.pk).action, "partnership.created")

    def test_the_database_refuses_an_event_written_past_record(self):
        head = ChainHead.objects.get()
        forged = Event(at=self.partnership.created_at, action="x.y", seq=head.seq + 5, hash="0")
        with self.assertRaisesRegex(IntegrityError, "extend the chain"), transaction.atomic():
            forged.save()
        with self.assertRaisesRegex(IntegrityError, "only moves forward"), transaction.atomic():
            ChainHead.objects.update(seq=0)

    def test_a_person_with_events_cannot_be_deleted(self):
        from django.db.models import ProtectedError

        services.record("accounts.signed_in", on=self.olive, actor=self.olive)
        with self.assertRaises(ProtectedError):
            self.olive.delete()

    def test_a_changed_event_is_named_by_its_row(self):
        services.record("partnership.created", on=self.partnership, actor=self.cora)
        event = services.record("partnership.status_changed", on=self.partnership, actor=self.cora)
        services.record("partnership.status_changed", on=self.partnership, actor=self.cora)
        with triggers_off():
            Event.objects.filter(pk=event.pk).update(actor=self.mia)

            self.assertEqual(
                problems(),
                [
                    f"audit_event row {event.pk}: seq {event.seq}: its hash is not that of its "
                    "fields after the previous event's hash (this event, or its hash, was changed)"
                ],
            )

    def test_a_removed_event_or_tail_is_found(self):
        events = [services.record("program.created", program_id=n) for n in range(3)]
        with triggers_off():
            Event.objects.filter(pk=events[1].pk)._raw_delete("default")
            found = problems()
        self.assertEqual(len(found), 2)  # the gap, and the next hash
        self.assertIn(f"seq {events[2].seq} follows {events[0].seq}", found[0])

        with triggers_off():
            Event.objects.filter(pk=events[2].pk)._raw_delete("default")
            self.assertEqual(
                problems(),
                [
                    f"audit_chainhead row 1: at seq {events[2].seq} but the last event is seq "
                    f"{events[1].seq}"
                ],
            )


class ChainRaceTest(PersonasMixin, TransactionTestCase):
    """Writers at once queue on the chain head: no fork, no gap (run on PostgreSQL, or on
    SQLite with SQLITE_TEST_PATH)."""

    def test_eight_writers_at_once_leave_one_unbroken_chain(self):
        def write(n):
            return lambda: [services.record("program.created", program_id=n) for _ in range(5)]

        results = run_at_once(*(write(n) for n in range(8)))

        self.assertEqual([r for r in results if isinstance(r, Exception)], [])
        seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
        self.assertEqual(seqs, list(range(1, len(seqs) + 1)))
        self.assertEqual(Event.objects.filter(action="program.created").count(), 40)
        self.assertEqual(problems(), [])
