"""The private calendar feed: made, shown once, read without signing in, revoked, remade."""

import re

import icalendar
from django.urls import reverse

from mentorpact.meetings import services
from mentorpact.meetings.models import CalendarFeed
from mentorpact.meetings.tests.base import TOMORROW, YESTERDAY, MeetingsTestCase


class CalendarFeedTest(MeetingsTestCase):
    def make_feed(self, user=None) -> str:
        """Make the feed through the page, as a person would; return its URL path."""
        self.sign_in(user or self.theo)
        response = self.client.post(reverse("meetings:create_feed"))
        self.assertEqual(response.status_code, 200)
        match = re.search(r'id="feed-url" type="url" value="([^"]+)"', response.content.decode())
        assert match is not None, "the page shows no feed URL"
        url = match[1]
        return url.removeprefix("http://testserver")

    def test_the_settings_page_offers_to_make_a_feed(self):
        self.sign_in(self.theo)

        response = self.client.get(reverse("meetings:calendar"))

        self.assertContains(response, "You have no calendar feed.")
        self.assertContains(response, "Make my feed address")

    def test_the_new_address_is_shown_once_and_only_its_hash_is_stored(self):
        path = self.make_feed()
        token = path.split("/")[-1].removesuffix(".ics")

        feed = CalendarFeed.objects.get()
        self.assertEqual(feed.user, self.theo)
        self.assertEqual(feed.token_sha256, services.feed_token_sha256(token))
        self.assertNotIn(token, str(CalendarFeed.objects.values().get()))
        page = self.client.get(reverse("meetings:calendar"))
        self.assertNotContains(page, token)
        self.assertContains(page, "Your feed is on")

    def test_the_feed_lists_the_persons_meetings_across_partnerships_without_signing_in(self):
        mine = self.schedule()
        held = self.held()
        other = self.add_mentees(1)[0]
        elsewhere = services.schedule_meeting(
            partnership=other,
            user=self.mia,
            starts_at=TOMORROW,
            time_zone="Asia/Tokyo",
            duration_minutes=30,
            mode="online",
        )
        path = self.make_feed(self.mia)
        self.client.logout()

        response = self.client.get(path)

        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        calendar = icalendar.Calendar.from_ical(response.content)
        uids = {str(e["UID"]).split("@")[0] for e in calendar.events}
        self.assertEqual(uids, {f"meeting-{m.public_id}" for m in (mine, held, elsewhere)})
        self.assertNotIn(b"Grant proposal", response.content)  # no agendas in calendars
        self.assertNotIn(b"Budget section", response.content)  # no topics either

    def test_theos_feed_holds_only_theos_meetings(self):
        self.schedule()
        other = self.add_mentees(1)[0]
        services.record_past_meeting(
            partnership=other,
            user=self.mia,
            starts_at=YESTERDAY,
            time_zone="UTC",
            held_minutes=30,
            mode="online",
        )
        path = self.make_feed(self.theo)

        calendar = icalendar.Calendar.from_ical(self.client.get(path).content)

        self.assertEqual(len(calendar.events), 1)

    def test_a_revoked_feed_is_not_found(self):
        path = self.make_feed()

        response = self.client.post(reverse("meetings:revoke_feed"))

        self.assertRedirects(response, reverse("meetings:calendar"))
        self.assertIsNotNone(CalendarFeed.objects.get().revoked_at)
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_a_new_address_replaces_the_old_one(self):
        old = self.make_feed()
        new = self.make_feed()

        self.assertNotEqual(old, new)
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.client.get(new).status_code, 200)
        self.assertEqual(CalendarFeed.objects.filter(revoked_at__isnull=True).count(), 1)

    def test_a_made_up_address_is_not_found(self):
        self.make_feed()

        response = self.client.get(reverse("meetings:feed", args=["made-up-token"]))

        self.assertEqual(response.status_code, 404)

    def test_making_and_revoking_are_posts_only(self):
        self.sign_in(self.theo)

        self.assertEqual(self.client.get(reverse("meetings:create_feed")).status_code, 405)
        self.assertEqual(self.client.get(reverse("meetings:revoke_feed")).status_code, 405)
        self.assertFalse(CalendarFeed.objects.exists())

    def test_htmx_gets_the_feed_box_only(self):
        self.sign_in(self.theo)

        made = self.client.post(reverse("meetings:create_feed"), headers=self.htmx())
        self.assertNotContains(made, "<html")
        self.assertContains(made, 'id="feed-url"')

        revoked = self.client.post(reverse("meetings:revoke_feed"), headers=self.htmx())
        self.assertNotContains(revoked, "<html")
        self.assertContains(revoked, "You have no calendar feed.")

    def test_signing_in_is_needed_to_manage_the_feed(self):
        response = self.client.post(reverse("meetings:create_feed"))

        self.assertEqual(response.status_code, 302)
        self.assertFalse(CalendarFeed.objects.exists())
