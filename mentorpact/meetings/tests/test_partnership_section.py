"""The partnership page's meetings section ({% meetings_section access %})."""

from django.template import Context, Template

from mentorpact.meetings.tests.base import MeetingsTestCase
from mentorpact.partnerships.selectors import get_partnership_for_user

SECTION = Template("{% load meetings %}{% meetings_section access %}")


class PartnershipSectionTest(MeetingsTestCase):
    def render(self, user) -> str:
        access = get_partnership_for_user(user, self.partnership.public_id)
        return SECTION.render(Context({"access": access, "user": user}))

    def test_a_partner_sees_counts_the_next_meetings_who_organises_and_links(self):
        self.held()
        self.schedule()

        html = self.render(self.mia)

        self.assertIn("Meetings held</dt><dd>1</dd>", html)
        self.assertIn("24 Nov 2026, 10:00 UTC", html)
        self.assertIn("Theo Mentee (the mentee) arranges meetings", html)
        self.assertIn(self.url("log"), html)
        self.assertIn(self.url("schedule"), html)

    def test_the_coordinator_sees_dates_and_statuses_only(self):
        self.held()
        self.schedule()

        html = self.render(self.cora)

        self.assertIn("Meetings held</dt><dd>1</dd>", html)
        self.assertIn("<td>Held</td>", html)
        self.assertIn("<td>Scheduled</td>", html)
        self.assertNotIn("Online", html)  # not even how they meet
        self.assertNotIn("meet.example.org", html)
        self.assertNotIn("/meetings/", html)

    def test_it_takes_the_same_queries_however_many_meetings(self):
        self.held()
        access = get_partnership_for_user(self.cora, self.partnership.public_id)
        context = Context({"access": access, "user": self.cora})
        with self.assertNumQueries(2):  # the counts, and the dates
            SECTION.render(context)
        for _ in range(5):
            self.schedule()

        with self.assertNumQueries(2):
            SECTION.render(context)
