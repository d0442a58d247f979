"""Reminders: planned from the rules and the record, sent once, cancelled when no longer due,
retried with backoff after a failure."""

from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.conf import settings
from django.core import mail

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import services as agreement_services
from mentorpact.partnerships.services import change_status
from mentorpact.progress import reminders, services
from mentorpact.progress.models import Reminder
from mentorpact.progress.tests.base import ProgressTestCase, hold_meetings, install_template

WORKER = "test-worker"


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


class PlanRemindersTest(ProgressTestCase):
    def keys(self) -> list[tuple[str, str]]:
        return sorted(Reminder.objects.values_list("kind", "recipient__email"))

    def test_the_agreement_is_due_a_week_before_its_due_date(self):
        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        with time_machine.travel(at(2027, 2, 15), tick=False):
            self.assertEqual(reminders.plan_reminders(), 0)
        with time_machine.travel(at(2027, 2, 16), tick=False):
            self.assertEqual(reminders.plan_reminders(), 2)
        self.assertEqual(
            self.keys(),
            [("agreement_due", "mia@example.org"), ("agreement_due", "theo@example.org")],
        )

    def test_planning_again_adds_nothing(self):
        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        with time_machine.travel(at(2027, 2, 20), tick=False):
            reminders.plan_reminders()
            self.assertEqual(reminders.plan_reminders(), 0)
        self.assertEqual(Reminder.objects.count(), 2)

    def test_the_midpoint_and_the_end_fall_due_on_their_dates(self):
        self.sign()  # ASPE, 6 months from 1 September 2026
        with time_machine.travel(at(2026, 11, 29), tick=False):
            self.assertEqual(reminders.plan_reminders(), 0)
        with time_machine.travel(at(2026, 11, 30), tick=False):
            reminders.plan_reminders()
        self.assertEqual([k for k, _ in self.keys()], ["midpoint", "midpoint"])
        with time_machine.travel(at(2027, 2, 15), tick=False):
            reminders.plan_reminders()
        self.assertEqual(Reminder.objects.filter(kind="end_approaching").count(), 2)

    def test_only_the_partner_who_has_not_reviewed_is_reminded_of_the_midpoint(self):
        self.sign()
        plan = self.start_plan()
        services.submit_midpoint_review(
            partnership=self.partnership,
            actor=self.theo,
            answers={str(i.public_id): {"assessment": "on_track"} for i in plan.items.all()},
            overall="",
            change_course=False,
        )
        with time_machine.travel(at(2026, 12, 1), tick=False):
            reminders.plan_reminders()
        self.assertEqual(self.keys(), [("midpoint", "mia@example.org")])

    def test_red_reminds_of_the_action_plan_before_the_second_meeting_ends(self):
        set_template(self.program, install_template("red-peer-mentoring"))
        self.sign("red-peer-mentoring")
        hold_meetings(self.partnership, 0)
        reminders.plan_reminders()
        self.assertFalse(Reminder.objects.filter(kind="action_plan_due").exists())
        hold_meetings(self.partnership, 1, datetime(2026, 11, 20, tzinfo=UTC))
        reminders.plan_reminders()
        self.assertEqual(Reminder.objects.filter(kind="action_plan_due").count(), 2)

    def test_red_reminds_when_there_was_no_contact_for_a_month(self):
        set_template(self.program, install_template("red-peer-mentoring"))
        self.sign("red-peer-mentoring")
        last = datetime(2026, 10, 1, 15, 0, tzinfo=UTC)
        hold_meetings(self.partnership, 3, last)
        with time_machine.travel(at(2026, 10, 31), tick=False):
            reminders.plan_reminders()
            self.assertFalse(Reminder.objects.filter(kind="contact_overdue").exists())
        with time_machine.travel(at(2026, 11, 2), tick=False):
            reminders.plan_reminders()
        reminder = Reminder.objects.filter(kind="contact_overdue").first()
        self.assertEqual(reminder.due_at, last + timedelta(days=31))

    def test_closed_partnerships_get_no_reminders(self):
        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        change_status(partnership=self.partnership, to_status="ended_early", actor=self.mia)
        with time_machine.travel(at(2027, 2, 20), tick=False):
            self.assertEqual(reminders.plan_reminders(), 0)


class SendRemindersTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        self.day = at(2027, 2, 20)
        with time_machine.travel(self.day, tick=False):
            reminders.plan_reminders()

    def send(self, when=None):
        with time_machine.travel(when or self.day, tick=False):
            return reminders.send_due_reminders(worker=WORKER)

    def test_each_due_reminder_is_emailed_once_and_marked_sent(self):
        self.assertEqual(self.send(), {"sent": 2, "cancelled": 0, "failed": 0})
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["mia@example.org", "theo@example.org"]
        )
        email = next(m for m in mail.outbox if m.to == ["theo@example.org"])
        self.assertEqual(email.subject, "Your mentoring agreement is due 23 February 2027")
        self.assertIn("because you are the mentee in your partnership with", email.body)
        self.assertIn("/agreement/", email.body)
        self.assertEqual(Reminder.objects.filter(sent_at=self.day, claimed_by=WORKER).count(), 2)
        self.assertEqual(self.send(), {"sent": 0, "cancelled": 0, "failed": 0})
        self.assertEqual(len(mail.outbox), 2)

    def test_a_reminder_no_longer_due_is_cancelled_not_sent(self):
        change_status(partnership=self.partnership, to_status="ended_early", actor=self.mia)
        self.assertEqual(self.send(), {"sent": 0, "cancelled": 2, "failed": 0})
        self.assertEqual(mail.outbox, [])

    def test_a_failure_is_recorded_and_retried_after_a_backoff(self):
        with mock.patch.object(reminders, "_email", side_effect=OSError("SMTP down")):
            self.assertEqual(self.send(), {"sent": 0, "cancelled": 0, "failed": 2})
        failed = Reminder.objects.first()
        self.assertEqual((failed.attempts, failed.failed_at), (1, self.day))
        self.assertEqual(failed.last_error, "OSError: SMTP down")
        self.assertEqual(failed.due_at, self.day + timedelta(minutes=5))
        self.assertEqual((failed.claimed_at, failed.sent_at), (None, None))
        self.assertEqual(self.send(self.day + timedelta(minutes=4))["sent"], 0)
        self.assertEqual(self.send(self.day + timedelta(minutes=5))["sent"], 2)
        self.assertEqual(len(mail.outbox), 2)

    def test_it_gives_up_after_the_last_attempt(self):
        Reminder.objects.update(attempts=reminders.MAX_ATTEMPTS)
        self.assertEqual(self.send()["sent"], 0)

    def test_a_reminder_claimed_by_a_worker_that_died_is_sent_once_its_lease_runs_out(self):
        # Was "... is not sent again": issue 11 asks for at-least-once, a dead worker's
        # reminder sent by another under the same Message-ID once its lease has run out.
        Reminder.objects.update(claimed_at=self.day, claimed_by="crashed:1")
        lease = timedelta(seconds=settings.MAIL_LEASE_SECONDS)
        self.assertEqual(self.send(self.day + lease - timedelta(seconds=1))["sent"], 0)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.send(self.day + lease + timedelta(seconds=1))["sent"], 2)
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(
            sorted(m.extra_headers["Message-ID"] for m in mail.outbox),
            sorted(r.message_id for r in Reminder.objects.all()),
        )

    def test_a_resend_after_a_crash_carries_the_same_message_id(self):
        # A kill between the SMTP accept and the sent mark: the email is out, the row unsent.
        self.send()
        first = {m.to[0]: m.extra_headers["Message-ID"] for m in mail.outbox}
        Reminder.objects.update(sent_at=None, claimed_at=self.day, claimed_by="crashed:1")
        later = self.day + timedelta(seconds=settings.MAIL_LEASE_SECONDS + 1)
        self.assertEqual(self.send(later)["sent"], 2)
        again = {m.to[0]: m.extra_headers["Message-ID"] for m in mail.outbox[2:]}
        self.assertEqual(again, first)
