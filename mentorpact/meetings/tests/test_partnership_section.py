"""The partnership page's meetings section ({% meetings_section access %})."""

from django.template import Context, Template

from mentorpact.meetings.tests.base import MeetingsTestCase
from mentorpact.partnerships.selectors import get_partnership_for_user

SECTION = Template("{% load meetings %}{% meetings_section access %}")


class PartnershipSectionTest(MeetingsTestCase):
    def render(self, user) -> str:
        access = get_partnership_for_user(user, self.partnership.public_id)
        return SECTION.render(Context({"access": access, "user": user}))

    def test_a_partner_sees_counts_the_next_meeting_and_the_way_to_the_meetings(self):
        self.held()
        self.schedule()

        html = self.render(self.mia)

        self.assertIn("Meetings held</dt><dd>1</dd>", html)
        self.assertIn("24 Nov 2026, 10:00 UTC", html)
        self.assertIn(self.url("log"), html)
        self.assertIn(self.url("schedule"), html)
        self.assertIn(self.url("record_past"), html)

    def test_after_closing_a_partner_can_still_read_but_not_add(self):
        self.close_partnership()

        html = self.render(self.theo)

        self.assertIn(self.url("log"), html)
        self.assertNotIn(self.url("schedule"), html)

    def test_the_coordinator_sees_counts_and_dates_only(self):
        self.held()
        self.schedule()

        html = self.render(self.cora)

        self.assertIn("Meetings held</dt><dd>1</dd>", html)
        self.assertIn("Last met</dt><dd>22 Nov 2026, 10:00 UTC</dd>", html)
        self.assertNotIn("Online", html)  # not even how they meet
        self.assertNotIn("meet.example.org", html)
        self.assertNotIn("/meetings/", html)

    def test_it_takes_one_query_however_many_meetings(self):
        self.held()
        access = get_partnership_for_user(self.cora, self.partnership.public_id)
        context = Context({"access": access, "user": self.cora})
        with self.assertNumQueries(1):
            SECTION.render(context)
        for _ in range(5):
            self.schedule()

        with self.assertNumQueries(1):
            SECTION.render(context)
