from datetime import UTC, datetime
from io import StringIO

import time_machine
from django.core import mail
from django.core.management import call_command

from mentorpact.agreements import services as agreement_services
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
