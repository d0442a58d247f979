"""A pair paired late has its own agreement due date, and every place that shows it agrees:
the first agreement, the partnership page and the reminders (issue 9, item 5); the program
overview (rows and the SQL totals): workspace/tests/test_program_overview_late_pair.py."""

from datetime import UTC, date, datetime

import time_machine
from django.urls import reverse

from mentorpact.agreements import services as agreement_services
from mentorpact.pairing import services
from mentorpact.pairing.tests import enrol, set_capacity
from mentorpact.programs.models import Enrolment
from mentorpact.progress import reminders
from mentorpact.progress.models import Reminder
from mentorpact.progress.tests.base import ProgressTestCase

PAIRED_AT = datetime(2027, 2, 20, 12, tzinfo=UTC)  # 3 days before the program's 23 February
DUE = date(2027, 3, 20)  # 28 days after pairing


class LatePairMixin(ProgressTestCase):
    """Nina, paired with Mia three days before the program's date: due 28 days after."""

    def setUp(self) -> None:
        super().setUp()
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", Enrolment.Role.MENTEE)
        set_capacity(self.program, self.mia, 2)
        self.late = services.pair(
            program=self.program,
            mentor=self.mia,
            mentee=self.nina,
            actor=self.cora,
            notify=False,
            now=PAIRED_AT,
        )


class LatePairTestCase(LatePairMixin):
    def test_the_first_agreement_is_due_on_the_pairs_own_date(self):
        agreement = agreement_services.start_agreement(partnership=self.late, actor=self.mia)
        self.assertEqual(agreement.due_on, DUE)

    def test_the_partnership_page_shows_the_pairs_own_date(self):
        self.client.force_login(self.nina)
        response = self.client.get(reverse("partnerships:detail", args=[self.late.public_id]))
        self.assertContains(response, "<dt>Agreement due</dt><dd>20 March 2027</dd>", html=False)

    def test_the_reminder_comes_a_week_before_the_pairs_own_date(self):
        agreement_services.start_agreement(partnership=self.late, actor=self.mia)
        with time_machine.travel(datetime(2027, 3, 12, 9, tzinfo=UTC), tick=False):
            reminders.plan_reminders()
        self.assertFalse(Reminder.objects.filter(recipient=self.nina).exists())
        with time_machine.travel(datetime(2027, 3, 13, 9, tzinfo=UTC), tick=False):
            reminders.plan_reminders()
        reminder = Reminder.objects.get(recipient=self.nina)
        self.assertEqual(reminder.due_at, datetime(2027, 3, 13, 9, tzinfo=UTC))
        [due] = [
            d
            for d in reminders.due_now(self.late, reminder.due_at)
            if d.recipient_id == self.nina.pk
        ]
        self.assertEqual(due.subject, "Your mentoring agreement is due 20 March 2027")
