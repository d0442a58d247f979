from datetime import UTC, datetime

from django.test import RequestFactory

from mentorpact.audit import context, services
from mentorpact.audit.middleware import AuditMiddleware
from mentorpact.audit.models import Event
from mentorpact.test import BaseTestCase, events_of


class RecordTest(BaseTestCase):
    def test_it_names_the_object_its_partnership_and_program(self):
        event = services.record("partnership.status_changed", on=self.partnership, actor=self.cora)

        self.assertEqual(
            (event.object_type, event.object_id, event.partnership_id, event.program_id),
            ("partnership", self.partnership.pk, self.partnership.pk, self.program.pk),
        )
        self.assertEqual((event.actor, event.kind), (self.cora, "status_changed"))

    def test_an_object_of_a_partnership_belongs_to_its_timeline(self):
        agreement = self.partnership.agreements.create(number=1)

        event = services.record("agreement.drafted", on=agreement, actor=self.mia, number=1)

        self.assertEqual((event.object_type, event.object_id), ("agreement", agreement.pk))
        self.assertEqual(event.partnership_id, self.partnership.pk)
        self.assertEqual(event.details, {"number": 1})

    def test_it_is_dated_now_unless_told_when(self):
        then = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)

        event = services.record("progress.plan_started", on=self.partnership, now=then)

        self.assertEqual(Event.objects.get(pk=event.pk).at, then)

    def test_it_takes_the_address_of_the_request_being_served(self):
        request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
        seen = []

        def view(request):
            seen.append(services.record("partnership.created", on=self.partnership))
            return None

        AuditMiddleware(view)(request)

        self.assertEqual(seen[0].ip, "203.0.113.9")
        self.assertIsNone(context.client_ip())  # and forgets it after the request
        self.assertIsNone(services.record("partnership.created", on=self.partnership).ip)

    def test_an_area_is_required(self):
        from django.db import IntegrityError, transaction

        with self.assertRaises(IntegrityError), transaction.atomic():
            services.record("created", on=self.partnership)
        self.assertEqual(events_of(self.partnership).filter(action="created").count(), 0)
