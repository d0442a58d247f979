"""The partnership page's meetings section: meetings/section.html with
`selectors.meeting_summary`, which the page's view reads and passes in."""

from django.template.loader import render_to_string

from mentorpact.meetings.selectors import meeting_summary
from mentorpact.meetings.tests.base import MeetingsTestCase
from mentorpact.partnerships.selectors import PartnershipAccess, get_partnership_for_user


def section(access: PartnershipAccess, user) -> str:
    """The section as the partnership page renders it: the summary read, then the template."""
    partnership = access.partnership
    return render_to_string(
        "meetings/section.html",
        {
            "access": access,
            "partnership": partnership,
            "user": user,
            "summary": meeting_summary(partnership),
            "is_open": partnership.is_open,
        },
    )


class PartnershipSectionTest(MeetingsTestCase):
    def render(self, user) -> str:
        access = get_partnership_for_user(user, self.partnership.public_id)
        return section(access, user)

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
        with self.assertNumQueries(1):
            section(access, self.cora)
        for _ in range(5):
            self.schedule()

        with self.assertNumQueries(1):
            section(access, self.cora)
