"""Reminders to sign: once a partner has signed, the other is reminded every
`sign_reminder_days` (3 by default; the program may set it) until they sign, at most
reminders.SIGN_REMINDERS times; a reminder whose partner signed meanwhile is cancelled."""

from datetime import timedelta

import time_machine
from django.core import mail
from django.utils import timezone

from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.tests.base import draft_of
from mentorpact.programs.models import Program
from mentorpact.programs.signals import terms_changed
from mentorpact.progress import reminders
from mentorpact.progress.models import Reminder
from mentorpact.progress.tests.base import CONTENT, ProgressTestCase, sign_as

WORKER = "test-worker"


class SignRemindersTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.pact = agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        for role in ("mentee", "mentor"):
            agreement_services.save_draft(
                agreement=self.pact,
                user=getattr(self.partnership, role),
                values=CONTENT[self.slug][role],
                based_on_revision=draft_of(self.pact).revision,
            )
        self.signed_at = timezone.now()
        self.sign_as("mentee")

    def sign_as(self, role: str) -> None:
        sign_as(self.partnership, draft_of(self.pact), role)

    def plan(self, days: float) -> list[tuple[str, str]]:
        with time_machine.travel(self.signed_at + timedelta(days=days), tick=False):
            reminders.plan_reminders()
        return sorted(
            Reminder.objects.filter(kind="sign").values_list("recipient__email", "dedupe_key")
        )

    def test_the_partner_who_has_not_signed_is_reminded_every_three_days(self):
        version = draft_of(self.pact).pk
        self.assertEqual(self.plan(2.9), [])
        self.assertEqual(self.plan(3), [("mia@example.org", f"sign:{version}:1:{self.mia.pk}")])
        self.assertEqual(len(self.plan(5)), 1)
        self.assertEqual(len(self.plan(6)), 2)

    def test_it_stops_after_five_reminders(self):
        self.plan(3)
        self.assertEqual(len(self.plan(300)), 2)  # the 1st, and the 5th standing for the rest
        self.assertEqual(len(self.plan(600)), 2)

    def test_the_program_sets_the_interval(self):
        self.program.rules = {"sign_reminder_days": 7}
        self.program.save()
        terms_changed.send(sender=Program, program=self.program)  # as office's update does
        self.assertEqual(self.plan(6), [])
        self.assertEqual(len(self.plan(7)), 1)

    def test_the_reminder_is_emailed_and_cancelled_once_they_have_signed(self):
        self.plan(3)
        with time_machine.travel(self.signed_at + timedelta(days=3), tick=False):
            counts = reminders.send_due_reminders(worker=WORKER)
        self.assertEqual(counts, {"sent": 1, "cancelled": 0, "failed": 0})
        [email] = [m for m in mail.outbox if m.to == ["mia@example.org"]]
        self.assertEqual(email.subject, "Your turn to sign your mentoring agreement")
        self.assertIn(
            "Theo Mentee signed version 1 of your agreement on 23 November 2026", email.body
        )
        self.assertIn("/sign/", email.body)

        self.plan(6)
        with time_machine.travel(self.signed_at + timedelta(days=6, hours=1), tick=False):
            self.sign_as("mentor")
            counts = reminders.send_due_reminders(worker=WORKER)
        self.assertEqual(counts, {"sent": 0, "cancelled": 1, "failed": 0})
        self.assertEqual(len(self.plan(9)), 2)  # signed: no third reminder
