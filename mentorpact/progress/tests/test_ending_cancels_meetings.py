"""Ending a partnership from its closing review (concluding, ending early) cancels the
meetings still to come, so none stays live in the partners' calendars; continuing keeps them."""

from django.core import mail

from mentorpact.meetings.models import Meeting
from mentorpact.progress.tests.base import schedule_meeting
from mentorpact.progress.tests.test_closing import ClosingTestCase


class EndingCancelsMeetingsTest(ClosingTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.meeting = schedule_meeting(self.partnership, days=3)
        mail.outbox.clear()

    def cancellation_emails(self) -> list:
        return [m for m in mail.outbox if "cancelled" in m.subject]

    def test_ending_early_cancels_them_and_tells_both(self):
        self.propose(user=self.theo, decision="end_early")

        self.meeting.refresh_from_db()
        self.assertEqual((self.meeting.status, self.meeting.sequence), ("cancelled", 1))
        emails = self.cancellation_emails()
        self.assertEqual(sorted(m.to[0] for m in emails), ["mia@example.org", "theo@example.org"])
        self.assertIn("METHOD:CANCEL", emails[0].attachments[0][1])

    def test_concluding_cancels_them(self):
        self.confirm(self.propose())

        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, "cancelled")
        self.assertEqual(len(self.cancellation_emails()), 2)

    def test_continuing_keeps_them(self):
        self.confirm(self.propose(decision="continue"))

        self.assertEqual(Meeting.objects.get().status, "scheduled")
        self.assertEqual(self.cancellation_emails(), [])
