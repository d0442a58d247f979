"""The coordinator's overview and the partnership page cost a fixed number of queries,
however many partnerships a program has and however long a partnership's timeline is.

bench/run.py measures the same pages at 100 to 10,000 partnerships; these tests keep the
query counts it reports from creeping up with the rows.
"""

from django.test import TestCase
from django.urls import reverse

from demo.generate import generate_load
from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.partnerships.models import PartnershipAction

# Session, user, the program with the access check (one query: programs.selectors.
# get_program_for_coordinator); the page of partnerships with their people; the program's
# template choice (agreement_templates.ProgramTemplate, a row of its own since programs
# points no foreign key at templates); the program's totals in one query (workspace.
# selectors.program_figures: the due rows' counts, overdue agreements, contact, first
# meetings, needing attention; the status counts, which also give the paginator its count;
# the open requests for help); the health of the page's rows (workspace.selectors.
# program_health: the agreements in effect, the latest agreements, action plans, midpoint
# reviews, closing reviews, held meetings). Issue 18: was 16.
OVERVIEW_QUERIES = 12
# Session, user, the partnership with its program and people (the access check); then
# progress (progress/selectors.py): the agreement in effect, the latest agreement, closing
# reviews, the meetings (read once: the contact figures, the timeline and the meetings
# section's counts and dates come from them), and the merged timeline's events with their
# actors from the audit trail (one query); the agreement section's draft (its latest
# agreement and version in effect are progress's); with nothing signed yet, the program's
# template choice (the rules in force: a first meeting due); for due next, the partners'
# required program events and the program's open evaluations. Issue 18: was 15.
PARTNERSHIP_PAGE_QUERIES = 11


class QueryCountTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.small = generate_load(partnerships=5, program_name="Small program")
        cls.large = generate_load(partnerships=80, program_name="Large program")

    def get(self, url, **headers):
        response = self.client.get(url, headers=headers)
        self.assertEqual(response.status_code, 200)
        return response

    def overview_url(self, load) -> str:
        return reverse("programs:overview", args=[load.program.public_id])

    def test_the_overview_costs_the_same_for_5_and_80_partnerships(self):
        for load in (self.small, self.large):
            self.client.force_login(load.coordinator)
            with self.subTest(partnerships=load.total), self.assertNumQueries(OVERVIEW_QUERIES):
                response = self.get(self.overview_url(load))
            self.assertContains(response, "<tr>", count=1 + min(load.total, 25))

    def test_a_filtered_later_page_costs_the_same(self):
        self.client.force_login(self.large.coordinator)
        with self.assertNumQueries(OVERVIEW_QUERIES):
            response = self.get(self.overview_url(self.large) + "?status=active&page=2")
        self.assertContains(response, "Page 2 of 2")

    def test_the_htmx_list_fragment_costs_the_same(self):
        self.client.force_login(self.large.coordinator)
        with self.assertNumQueries(OVERVIEW_QUERIES):
            response = self.get(
                self.overview_url(self.large),
                HX_Request="true",
                HX_Target="partnership-list",
            )
        self.assertNotContains(response, "<html")

    def test_the_partnership_page_costs_the_same_however_long_the_timeline(self):
        load = self.large
        url = reverse("partnerships:detail", args=[load.sample.public_id])
        self.client.force_login(load.coordinator)
        with self.assertNumQueries(PARTNERSHIP_PAGE_QUERIES):
            self.get(url)

        # Forty more events by forty different people: the timeline shows each actor's name.
        people = list(load.program.enrolments.values_list("user_id", flat=True)[:40])
        for person in people:
            audit.record(PartnershipAction.STATUS_CHANGED, on=load.sample, actor=User(pk=person))
        with self.assertNumQueries(PARTNERSHIP_PAGE_QUERIES):
            response = self.get(url)
        self.assertContains(response, "<li><time", count=3 + 40)


# Session, user, the program with the access check (one query); the filter form's departments and
# mentors (at most MENTOR_CHOICES + 1 rows); the pair-based figures (one aggregate over the
# pairs' fact rows, dashboard.PairFacts), the meetings per month (one GROUP BY), the events
# attended (one GROUP BY), the evaluations answered (one GROUP BY); the latest ZIP. Issue 18:
# was 11 (the access check and the program were two queries).
DASHBOARD_QUERIES = 10


class DashboardQueryCountTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.small = generate_load(partnerships=5, program_name="Small program")
        cls.large = generate_load(partnerships=80, program_name="Large program")

    def test_the_dashboard_costs_the_same_for_5_and_80_partnerships(self):
        for load in (self.small, self.large):
            self.client.force_login(load.coordinator)
            url = reverse("dashboard:page", args=[load.program.public_id])
            with self.subTest(partnerships=load.total), self.assertNumQueries(DASHBOARD_QUERIES):
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, f"<strong>{load.total}</strong> pairs")

    def test_a_filtered_dashboard_costs_the_same(self):
        load = self.large
        self.client.force_login(load.coordinator)
        url = reverse("dashboard:page", args=[load.program.public_id])
        with self.assertNumQueries(DASHBOARD_QUERIES):
            response = self.client.get(url, {"cohort": "later", "paired_from": "2026-01-01"})
        self.assertEqual(response.status_code, 200)

    def test_the_pairs_behind_a_bar_cost_the_same_however_many(self):
        # Session, user, the program with the access check, the form's two choices, the count,
        # the page (every pair: 5 is enough to be listed). Issue 18: was 8.
        for load in (self.small, self.large):
            self.client.force_login(load.coordinator)
            url = reverse("dashboard:pairs", args=[load.program.public_id])
            with self.subTest(partnerships=load.total), self.assertNumQueries(7):
                response = self.client.get(url, {"figure": "stage", "bar": "paired"})
            self.assertContains(response, "<tr>", count=1 + min(load.total, 25))
            self.assertEqual(response.status_code, 200)
