"""The rule `activity_log` (the pilot's form) acts: the meetings page asks the pair to keep
one above their notes; a form without it does not."""

from django.urls import reverse

from mentorpact.meetings.tests.base import MeetingsTestCase

ASKED = "The program asks you to keep an activity log"


class PilotActivityLogTest(MeetingsTestCase):
    template_slug = "university-pilot"

    def test_the_meetings_page_asks_for_an_activity_log(self):
        self.client.force_login(self.theo)
        page = self.client.get(reverse("meetings:log", args=[self.partnership.public_id]))
        self.assertContains(page, ASKED)


class AspeHasNoActivityLogRuleTest(MeetingsTestCase):
    template_slug = "aspe-partnership"

    def test_the_meetings_page_does_not_ask(self):
        self.client.force_login(self.theo)
        page = self.client.get(reverse("meetings:log", args=[self.partnership.public_id]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, ASKED)
