"""The overview's health rows are cached (workspace.selectors.program_health), keyed by each
pair's facts_version, the program's rules and the day: a change made after a row was cached
shows on the next request, a new day is counted afresh, and nobody who may not see the
overview gets anything of what is cached. Today is 23 November 2026 (progress.tests.base)."""

import re
from datetime import timedelta

import time_machine
from django.core.cache import cache
from django.urls import reverse

from mentorpact.partnerships import services as partnership_services
from mentorpact.progress.tests.base import TODAY, ProgressTestCase
from mentorpact.workspace.tests import test_program_overview_health as health

PER_REQUEST = re.compile(r'(nonce="|"X-CSRFToken": ?"|name="csrfmiddlewaretoken" value=")[^"]*')


def per_request(page: str) -> str:
    return PER_REQUEST.sub(r"\1", page)


NO_CONTACT = '<span class="flag">No contact for 40 days</span>'


class ProgramOverviewCacheTestCase(ProgressTestCase):
    """ProgramOverviewHealthTestCase's helpers (not its tests): Cora signed in, the RED form
    (contact at least once a month)."""

    slug = health.ProgramOverviewHealthTestCase.slug
    held = health.ProgramOverviewHealthTestCase.held
    page = health.ProgramOverviewHealthTestCase.page

    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("programs:overview", args=[self.program.public_id])
        self.sign_in(self.cora)

    def test_a_second_request_reads_the_rows_health_from_the_cache(self):
        self.sign()
        self.held(self.partnership, days_ago=40)
        cache.clear()
        # Cold: the overview's 13 queries with a template (test_program_overview_health.py).
        with self.assertNumQueries(13):
            first = self.page()
        # Warm: session, user, the program with the access check, the page's rows, the
        # template choice and its latest version, the totals; the six health queries are not
        # made.
        with self.assertNumQueries(7):
            second = self.page()
        # The same page, but for each request's own CSP nonce and CSRF token.
        self.assertEqual(per_request(first), per_request(second))
        self.assertIn(NO_CONTACT, second)

    def test_a_meeting_held_after_the_row_was_cached_shows_at_once(self):
        self.sign()
        self.held(self.partnership, days_ago=40)
        self.assertIn(NO_CONTACT, self.page())
        self.held(self.partnership, days_ago=3)  # announced with partnerships.signals.changed
        content = self.page()
        self.assertNotIn("No contact for", content)
        self.assertIn('<span class="meta">Last 20 Nov 2026</span>', content)

    def test_a_signature_after_the_row_was_cached_shows_at_once(self):
        self.assertIn("Not started<br>", self.page())
        self.sign()  # on 1 September 2026, through the agreements' services
        content = self.page()
        self.assertIn("Signed 1 Sep 2026</td>", content)
        self.assertNotIn("Not started<br>", content)

    def test_a_status_change_after_the_row_was_cached_shows_at_once(self):
        self.sign()
        self.assertIn("Agreement in effect", self.page())
        partnership_services.change_status(
            partnership=self.partnership, to_status="concluded", actor=self.mia
        )
        self.assertIn("Concluded", self.page("?status=concluded"))
        self.assertNotIn("<td>Theo Mentee</td>", self.page("?status=active"))

    def test_the_next_day_is_counted_afresh(self):
        self.sign()
        self.held(self.partnership, days_ago=40)
        self.assertIn(NO_CONTACT, self.page())
        with time_machine.travel(TODAY + timedelta(days=1), tick=False):
            content = self.page()
        self.assertIn('<span class="flag">No contact for 41 days</span>', content)

    def test_what_is_cached_is_never_shown_to_anyone_who_may_not_see_the_overview(self):
        self.sign()
        self.held(self.partnership, days_ago=40)
        self.assertIn(NO_CONTACT, self.page())  # Cora's request fills the cache
        self.assertIn(NO_CONTACT, self.page("", headers=health.HTMX_LIST))
        # The partners: 403 (the page and its fragment); an outsider: 404. The access check
        # runs before anything is read from the cache.
        for person, status in [(self.mia, 403), (self.theo, 403), (self.olive, 404)]:
            self.sign_in(person)
            for headers in ({}, health.HTMX_LIST):
                with self.subTest(person.full_name, htmx=bool(headers)):
                    response = self.client.get(self.url, headers=headers)
                    self.assertEqual(response.status_code, status)
                    self.assertNotIn("No contact for", response.content.decode())
        self.client.logout()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("No contact for", response.content.decode())
