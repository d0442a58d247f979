"""Partners see each other's preferred names wherever they meet: the meeting page, the
timeline, the emails. The coordinator sees full names."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact.agreements import services as agreement_services
from mentorpact.meetings.tests.base import IMMEDIATE_TASKS, MeetingsTestCase


@override_settings(TASKS=IMMEDIATE_TASKS)
class PreferredNamesTestCase(MeetingsTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.theo.preferred_name = "Teddy"
        self.theo.save()

    def test_the_meeting_page_and_its_email_name_the_partner_by_their_preferred_name(self):
        with self.captureOnCommitCallbacks(execute=True):
            meeting = self.schedule(user=self.theo)
        [to_mia] = [m for m in mail.outbox if m.to == [self.mia.email]]
        self.assertIn("Teddy", to_mia.subject + to_mia.body)
        self.assertNotIn("Theo Mentee", to_mia.subject + to_mia.body)
        self.sign_in(self.mia)
        response = self.client.get(self.url("detail", meeting))
        self.assertContains(response, "<dd>Teddy</dd>")
        self.assertNotContains(response, "Theo Mentee")

    def test_the_timeline_says_who_did_what_by_preferred_name_to_partners_only(self):
        agreement_services.start_agreement(partnership=self.partnership, actor=self.theo)
        url = reverse("partnerships:detail", args=[self.partnership.public_id])
        self.sign_in(self.mia)
        self.assertContains(self.client.get(url), "by Teddy")
        self.sign_in(self.cora)
        response = self.client.get(url)
        self.assertContains(response, "by Theo Mentee")
        self.assertNotContains(response, "by Teddy")
