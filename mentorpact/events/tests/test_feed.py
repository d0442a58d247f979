"""A person's calendar feed (the meetings app's) carries the program events they are invited
to, but not those they declined, and nobody else's."""

from django.urls import reverse

from mentorpact.events.models import Invitation
from mentorpact.events.tests.access import networking
from mentorpact.meetings import services as meeting_services
from mentorpact.test import BaseTestCase


class CalendarFeedTest(BaseTestCase):
    def feed_of(self, user) -> str:
        token = meeting_services.create_calendar_feed(user=user)
        response = self.client.get(reverse("meetings:feed", args=[token]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_an_invitee_s_feed_carries_the_event_with_the_uid_of_its_own_ics(self):
        event = networking(self)
        feed = self.feed_of(self.mia)
        self.assertIn(f"UID:event-{event.public_id}@", feed)
        self.assertIn("SUMMARY:Networking function (", feed)
        self.assertIn("LOCATION:The Research Office\\, room 2", feed)

    def test_a_declined_event_and_an_outsider_s_feed_carry_none(self):
        event = networking(self)
        Invitation.objects.filter(event=event, user=self.mia).update(answer="no")
        self.assertNotIn(str(event.public_id), self.feed_of(self.mia))
        self.assertIn(str(event.public_id), self.feed_of(self.theo))  # Theo did not decline
        self.assertNotIn(str(event.public_id), self.feed_of(self.olive))
