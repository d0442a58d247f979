import os
import signal
from datetime import UTC, datetime
from io import StringIO
from unittest import mock

import time_machine
from django.core import mail
from django.core.management import call_command

from mentorpact.agreements import services as agreement_services
from mentorpact.progress import reminders
from mentorpact.progress.models import Reminder
from mentorpact.progress.tests.base import ProgressTestCase


class SendRemindersCommandTest(ProgressTestCase):
    def test_one_pass_plans_and_sends_what_is_due(self):
        agreement_services.start_agreement(partnership=self.partnership, actor=self.mia)
        out = StringIO()
        with time_machine.travel(datetime(2027, 2, 20, 9, tzinfo=UTC), tick=False):
            call_command("send_reminders", stdout=out)
        self.assertIn("2 newly due", out.getvalue())
        self.assertIn("2 sent", out.getvalue())
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(Reminder.objects.filter(sent_at__isnull=False).count(), 2)

    def test_with_nothing_due_it_says_nothing(self):
        out = StringIO()
        call_command("send_reminders", stdout=out)
        self.assertEqual(out.getvalue(), "")


class SendRemindersLoopTest(ProgressTestCase):
    def test_the_loop_runs_a_pass_each_interval_until_terminated(self):
        sleeps = []

        def sleep(seconds):
            sleeps.append(seconds)
            if len(sleeps) == 2:
                os.kill(os.getpid(), signal.SIGTERM)  # as scripts/serve stops it

        handlers = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
        command = "mentorpact.progress.management.commands.send_reminders"
        try:
            with (
                mock.patch(f"{command}.time.sleep", sleep),
                # The loop drops old connections between passes; inside a test's transaction
                # that would close the test's own connection.
                mock.patch(f"{command}.close_old_connections"),
                mock.patch.object(
                    reminders, "send_due_reminders", wraps=reminders.send_due_reminders
                ) as passes,
            ):
                call_command("send_reminders", "--loop", "--interval", "1", stdout=StringIO())
        finally:
            signal.signal(signal.SIGTERM, handlers[0])
            signal.signal(signal.SIGINT, handlers[1])
        self.assertEqual(passes.call_count, 3)
        self.assertEqual(sleeps, [1, 1])
