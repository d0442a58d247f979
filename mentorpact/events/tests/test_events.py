"""Program events: created with invitations (an .ics attached) and reminders as due outbox
rows; invitees answer (a notice of absence for a required event); attendance recorded by
checklist or CSV; the coordinators' page shows attendance and who missed a required one."""

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentorpact.events import services
from mentorpact.events.models import Invitation, ProgramEvent
from mentorpact.events.services import EventDetails, EventError
from mentorpact.outbox.models import Email
from mentorpact.test import BaseTestCase, events_of, kinds

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
STARTS = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def details(**changes: Any) -> EventDetails:
    values: dict[str, Any] = {
        "title": "Networking function",
        "description": "",
        "starts_at": STARTS,
        "ends_at": STARTS + timedelta(hours=2),
        "time_zone": "Europe/London",
        "place": "Room 2",
        "capacity": None,
        "invited_roles": ["mentor", "mentee"],
        "required": False,
    } | changes
    return EventDetails(**values)


@time_machine.travel(NOW, tick=False)
class EventsTest(BaseTestCase):
    def create(self, **changes) -> ProgramEvent:
        return services.create_event(
            program=self.program, actor=self.cora, details=details(**changes)
        )

    def test_invitees_are_emailed_with_an_ics_and_reminded_the_day_before(self):
        event = self.create()

        self.assertEqual(
            sorted(event.invitations.values_list("user__email", flat=True)),
            ["mia@example.org", "theo@example.org"],
        )
        invitation = Email.objects.get(kind="event-invitation", to="mia@example.org")
        self.assertEqual(invitation.attachments[0]["mimetype"], "text/calendar")
        reminder = Email.objects.get(kind="event-reminder", to="theo@example.org")
        self.assertEqual(reminder.due_at, STARTS - timedelta(days=1))
        self.assertIsNone(reminder.sent_at)
        self.assertEqual(kinds(events_of(event, "event")), ["created"])

    def test_only_the_invited_roles_are_invited(self):
        event = self.create(invited_roles=["mentee"])

        self.assertEqual(list(event.invitations.values_list("role", flat=True)), ["mentee"])

    def test_a_past_time_is_refused_beside_the_date(self):
        with self.assertRaises(EventError) as caught:
            self.create(starts_at=NOW - timedelta(hours=1), ends_at=NOW)
        self.assertEqual(caught.exception.field, "date")

    def test_a_required_events_no_needs_a_reason(self):
        event = self.create(required=True)
        invitation = event.invitations.get(user=self.theo)

        with self.assertRaises(EventError) as caught:
            services.answer(invitation=invitation, user=self.theo, answer="no")
        self.assertEqual(caught.exception.field, "absence_reason")

        services.answer(invitation=invitation, user=self.theo, answer="no", absence_reason="Exam")
        invitation.refresh_from_db()
        self.assertEqual((invitation.answer, invitation.absence_reason), ("no", "Exam"))

    def test_a_full_event_refuses_another_yes(self):
        event = self.create(capacity=1)
        services.answer(
            invitation=event.invitations.get(user=self.mia), user=self.mia, answer="yes"
        )

        with self.assertRaises(EventError) as caught:
            services.answer(
                invitation=event.invitations.get(user=self.theo), user=self.theo, answer="yes"
            )
        self.assertIn("full", caught.exception.message)

    def test_attendance_by_checklist_shows_who_missed_a_required_event(self):
        event = self.create(required=True)
        self.sign_in(self.cora)
        with time_machine.travel(STARTS + timedelta(hours=3), tick=False):
            self.client.post(
                reverse("events:attendance", args=[event.public_id]),
                {"attended": [str(self.mia.public_id)]},
            )
            page = self.client.get(reverse("events:program", args=[self.program.public_id]))

        self.assertEqual(event.invitations.get(user=self.mia).attended, True)
        self.assertEqual(event.invitations.get(user=self.theo).attended, False)
        self.assertContains(page, "Who missed a required event")
        self.assertContains(page, "Theo Mentee (mentee): Networking function")
        self.assertEqual(kinds(events_of(event, "event")), ["created", "attendance_recorded"])

    def test_before_it_starts_cora_reads_the_answers_and_no_checklist(self):
        event = self.create()
        self.sign_in(self.cora)

        page = self.client.get(reverse("events:event", args=[event.public_id]))

        self.assertContains(page, "Attendance can be recorded once the event starts")
        self.assertNotContains(page, "Record attendance")
        self.assertContains(page, "1 Dec 2026, 17:00\u201319:00")
        with time_machine.travel(STARTS + timedelta(minutes=1), tick=False):
            started = self.client.get(reverse("events:event", args=[event.public_id]))
        self.assertContains(started, "Record attendance")

    def test_attendance_from_a_csv_of_attendees(self):
        event = self.create()
        self.sign_in(self.cora)
        upload = SimpleUploadedFile("a.csv", b"email\nTHEO@example.org\n", "text/csv")
        with time_machine.travel(STARTS + timedelta(hours=3), tick=False):
            self.client.post(reverse("events:attendance", args=[event.public_id]), {"file": upload})

        self.assertTrue(event.invitations.get(user=self.theo).attended)
        self.assertFalse(event.invitations.get(user=self.mia).attended)

    def test_the_attendees_csv_lists_answers_and_attendance(self):
        event = self.create()
        services.answer(
            invitation=event.invitations.get(user=self.mia), user=self.mia, answer="maybe"
        )
        self.sign_in(self.cora)

        response = self.client.get(reverse("events:attendees_csv", args=[event.public_id]))

        self.assertIn(b"Mia Mentor,mia@example.org,mentor,Maybe", response.content)

    def test_mia_answers_on_the_page_and_downloads_the_ics(self):
        event = self.create()
        self.sign_in(self.mia)
        url = reverse("events:event", args=[event.public_id])

        response = self.client.post(url, {"answer": "yes"})

        self.assertRedirects(response, url)
        self.assertEqual(event.invitations.get(user=self.mia).answer, Invitation.Answer.YES)
        ics = self.client.get(reverse("events:ics", args=[event.public_id]))
        self.assertIn(b"BEGIN:VEVENT", ics.content)
        self.assertIn(b"TZID=Europe/London", ics.content)

    def test_the_create_form_keeps_what_was_typed_with_errors_beside_the_fields(self):
        self.sign_in(self.cora)

        response = self.client.post(
            reverse("events:program", args=[self.program.public_id]),
            {
                "title": "Training",
                "date": "2026-12-01",
                "time": "18:00",
                "end_time": "17:00",
                "time_zone": "UTC",
                "place": "Room 1",
                "invited_roles": ["mentor"],
            },
        )

        self.assertContains(response, "It must end after it starts.", status_code=400)
        self.assertContains(response, 'value="Training"', status_code=400)
        self.assertFalse(ProgramEvent.objects.exists())


class PartnershipPageTest(BaseTestCase):
    def test_theo_sees_his_next_event_on_the_partnership_page_and_cora_does_not(self):
        starts = timezone.now() + timedelta(days=3)
        services.create_event(
            program=self.program,
            actor=self.cora,
            details=details(starts_at=starts, ends_at=starts + timedelta(hours=1), required=True),
        )
        url = reverse("partnerships:detail", args=[self.partnership.public_id])
        self.sign_in(self.theo)
        page = self.client.get(url)
        self.assertContains(page, "Your program events")
        self.assertContains(page, "attendance required")
        self.sign_in(self.cora)
        self.assertNotContains(self.client.get(url), "Your program events")


class NoticeOfAbsenceTest(BaseTestCase):
    def test_theos_reason_reaches_the_coordinators_and_not_mia_nor_any_email(self):
        starts = timezone.now() + timedelta(days=3)
        event = services.create_event(
            program=self.program,
            actor=self.cora,
            details=details(starts_at=starts, ends_at=starts + timedelta(hours=1), required=True),
        )
        services.answer(
            invitation=event.invitations.get(user=self.theo),
            user=self.theo,
            answer="no",
            absence_reason="CANARY-absence-4f2 a hospital appointment",
        )
        url = reverse("events:event", args=[event.public_id])
        self.sign_in(self.cora)
        self.assertContains(self.client.get(url), "CANARY-absence-4f2")
        self.sign_in(self.mia)
        for page in (url, reverse("events:mine"), reverse("partnerships:mine")):
            self.assertNotContains(self.client.get(page), "CANARY-absence-4f2")
        detail = reverse("partnerships:detail", args=[self.partnership.public_id])
        self.assertNotContains(self.client.get(detail), "CANARY-absence-4f2")
        for email in Email.objects.all():
            self.assertNotIn("CANARY-absence-4f2", email.subject + email.body + email.html)
        for event_row in events_of(event):
            self.assertNotIn("CANARY", str(event_row.details))
