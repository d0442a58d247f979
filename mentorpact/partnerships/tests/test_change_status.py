from datetime import UTC, datetime

import time_machine
from django.core.exceptions import ValidationError
from django.test import TransactionTestCase

from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.partnerships.services import StaleStatus, change_status
from mentorpact.test import BaseTestCase, PersonasMixin, events_of, run_at_once

S = Partnership.Status
ALLOWED = [
    (S.DRAFTING, S.ACTIVE),
    (S.DRAFTING, S.ENDED_EARLY),
    (S.ACTIVE, S.CONCLUDED),
    (S.ACTIVE, S.ENDED_EARLY),
]
REFUSED = [
    (S.DRAFTING, S.DRAFTING),
    (S.DRAFTING, S.CONCLUDED),
    (S.ACTIVE, S.DRAFTING),
    (S.ACTIVE, S.ACTIVE),
    (S.CONCLUDED, S.ACTIVE),
    (S.CONCLUDED, S.DRAFTING),
    (S.CONCLUDED, S.ENDED_EARLY),
    (S.ENDED_EARLY, S.ACTIVE),
    (S.ENDED_EARLY, S.CONCLUDED),
]


def status_changes(partnership: Partnership):
    return events_of(partnership).filter(action=PartnershipAction.STATUS_CHANGED)


class ChangeStatusTestCase(BaseTestCase):
    def put_in(self, status: str) -> Partnership:
        """The persona partnership, already in `status` (set directly: this is setup)."""
        Partnership.objects.filter(pk=self.partnership.pk).update(status=status)
        self.partnership.refresh_from_db()
        return self.partnership

    def test_the_allowed_transitions_change_the_status_and_write_an_event(self):
        moment = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
        for from_status, to_status in ALLOWED:
            with (
                self.subTest(f"{from_status} -> {to_status}"),
                time_machine.travel(moment, tick=False),
            ):
                partnership = self.put_in(from_status)
                change_status(partnership=partnership, to_status=to_status, actor=self.cora)

                self.assertEqual(partnership.status, to_status)
                partnership.refresh_from_db()
                self.assertEqual(partnership.status, to_status)
                self.assertEqual(partnership.status_changed_at, moment)
                event = status_changes(partnership).latest("id")
                self.assertEqual(
                    (event.details, event.actor, event.at),
                    ({"from_status": from_status, "to_status": to_status}, self.cora, moment),
                )

    def test_the_refused_transitions_raise_and_write_nothing(self):
        for from_status, to_status in REFUSED:
            with self.subTest(f"{from_status} -> {to_status}"):
                partnership = self.put_in(from_status)
                events_before = Event.objects.filter(action__startswith="partnership.").count()
                with self.assertRaises(ValidationError):
                    change_status(partnership=partnership, to_status=to_status, actor=self.mia)
                self.assertEqual(partnership.status, from_status)
                partnership.refresh_from_db()
                self.assertEqual(partnership.status, from_status)
                self.assertEqual(
                    Event.objects.filter(action__startswith="partnership.").count(), events_before
                )

    def test_the_refusal_says_what_was_asked_in_words(self):
        with self.assertRaises(ValidationError) as caught:
            change_status(partnership=self.partnership, to_status=S.CONCLUDED, actor=self.mia)
        self.assertEqual(
            caught.exception.messages,
            ["A partnership that is drafting agreement cannot become concluded."],
        )

    def test_an_unknown_status_is_refused_as_invalid(self):
        with self.assertRaises(ValidationError) as caught:
            change_status(partnership=self.partnership, to_status="paused", actor=self.mia)
        self.assertEqual(caught.exception.messages, ["'paused' is not a partnership status."])
        self.assertFalse(status_changes(self.partnership).exists())

    def test_a_change_in_the_past_is_dated_then(self):
        closed = datetime(2026, 5, 11, 10, 0, tzinfo=UTC)
        change_status(partnership=self.partnership, to_status=S.ENDED_EARLY, actor=None, now=closed)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status_changed_at, closed)
        self.assertEqual(status_changes(self.partnership).get().at, closed)

    def test_the_event_keeps_the_details_given(self):
        change_status(
            partnership=self.partnership,
            to_status=S.ENDED_EARLY,
            actor=self.theo,
            detail={"reason_code": "moved"},
        )
        self.assertEqual(
            status_changes(self.partnership).get().details,
            {"from_status": "drafting", "to_status": "ended_early", "reason_code": "moved"},
        )

    def test_a_stale_copy_changes_nothing(self):
        stale = Partnership.objects.get(pk=self.partnership.pk)
        change_status(partnership=self.partnership, to_status=S.ACTIVE, actor=self.mia)
        with self.assertRaises(StaleStatus):
            change_status(partnership=stale, to_status=S.ENDED_EARLY, actor=self.theo)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, S.ACTIVE)
        self.assertEqual(status_changes(self.partnership).count(), 1)


class ConcurrentChangeStatusTestCase(PersonasMixin, TransactionTestCase):
    def test_two_people_changing_the_status_at_once_change_it_once(self):
        # Each caller read the partnership while it was drafting, as two browser tabs would.
        first, second = (Partnership.objects.get(pk=self.partnership.pk) for _ in range(2))
        results = run_at_once(
            lambda: change_status(partnership=first, to_status=S.ACTIVE, actor=self.mia),
            lambda: change_status(partnership=second, to_status=S.ENDED_EARLY, actor=self.theo),
        )

        succeeded = [r for r in results if isinstance(r, Partnership)]
        refused = [r for r in results if isinstance(r, StaleStatus)]
        self.assertEqual((len(succeeded), len(refused)), (1, 1), results)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, succeeded[0].status)
        event = status_changes(self.partnership).get()
        self.assertEqual(event.details["to_status"], succeeded[0].status)
