"""Two workers sending at once, with real threads and transactions: each reminder is sent
exactly once. Skips on in-memory SQLite (threads cannot share it); run on PostgreSQL
(DATABASE_URL) and on SQLite with SQLITE_TEST_PATH set to a file."""

from collections import Counter
from datetime import UTC, datetime

import time_machine
from django.core import mail
from django.test import TransactionTestCase

from mentorpact.agreements import services as agreement_services
from mentorpact.progress import reminders
from mentorpact.progress.models import DueEntry, Reminder
from mentorpact.progress.tests.base import ProgressMixin
from mentorpact.test import RACE_TRIALS, PersonasMixin, run_at_once

DAY = datetime(2027, 2, 20, 9, 0, tzinfo=UTC)
ROUNDS = max(1, RACE_TRIALS // 12)  # 5 in the suite; bench/races.py soaks it
PAIRS = 6


class ReminderRaceTest(ProgressMixin, PersonasMixin, TransactionTestCase):
    def test_two_workers_send_each_reminder_exactly_once(self):
        for partnership in [self.partnership, *self.add_mentees(PAIRS - 1)]:
            agreement_services.start_agreement(partnership=partnership, actor=partnership.mentor)
        for round_ in range(ROUNDS):
            with self.subTest(round=round_):
                # Each round starts afresh: no reminders, and the due rows waiting to plan.
                Reminder.objects.all().delete()
                DueEntry.objects.exclude(remind_key="").update(to_plan=True, planned_key="")
                mail.outbox = []
                with time_machine.travel(DAY, tick=False):
                    reminders.plan_reminders()
                    results = run_at_once(
                        lambda: reminders.send_due_reminders(worker="one"),
                        lambda: reminders.send_due_reminders(worker="two"),
                    )
                for result in results:
                    self.assertIsInstance(result, dict, result)
                self.assertEqual(sum(r["sent"] for r in results), 2 * PAIRS)
                # Every reminder sent, and each recipient got as many emails as reminders:
                # none twice (Mia, mentor of every pair, gets one per pair).
                self.assertFalse(Reminder.objects.filter(sent_at__isnull=True).exists())
                wanted = Counter(Reminder.objects.values_list("recipient__email", flat=True))
                self.assertEqual(Counter(m.to[0] for m in mail.outbox), wanted)
                self.assertEqual(len(mail.outbox), 2 * PAIRS)
