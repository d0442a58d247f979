import uuid

from django.test import override_settings
from django.urls import reverse

from mentorpact.partnerships.services import change_status
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import BaseTestCase

HTMX_LIST = {"HX-Request": "true", "HX-Target": "partnership-list"}


class ProgramOverviewTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("programs:overview", args=[self.program.public_id])

    def page_for(self, user, query: str = "", **kwargs):
        self.sign_in(user)
        return self.client.get(f"{self.url}{query}", **kwargs)

    def rows(self, response) -> int:
        return response.content.decode().count("<tr>") - 1  # less the header row

    def test_the_coordinator_sees_the_program_and_its_partnerships(self):
        response = self.page_for(self.cora)
        self.assertContains(response, "<h1>Peer Mentoring</h1>")
        self.assertContains(response, "<dd>23 February 2027</dd>")
        self.assertContains(response, "<dd>office@example.org</dd>")
        detail = reverse("partnerships:detail", args=[self.partnership.public_id])
        self.assertContains(response, f'<a href="{detail}">Mia Mentor</a>')
        self.assertContains(response, "<td>Theo Mentee</td>")
        self.assertEqual(self.rows(response), 1)

    def test_the_filter_counts_each_status(self):
        active, ended = self.add_mentees(2)
        change_status(partnership=active, to_status="active", actor=self.cora)
        change_status(partnership=ended, to_status="ended_early", actor=self.cora)
        response = self.page_for(self.cora)
        self.assertContains(response, '<option value="">All partnerships (3)</option>')
        self.assertContains(response, '<option value="drafting">Drafting agreement (1)</option>')
        self.assertContains(response, '<option value="active">Agreement in effect (1)</option>')
        self.assertContains(response, '<option value="concluded">Concluded (0)</option>')

    def test_it_filters_by_status(self):
        active, ended = self.add_mentees(2)
        change_status(partnership=active, to_status="active", actor=self.cora)
        change_status(partnership=ended, to_status="ended_early", actor=self.cora)

        response = self.page_for(self.cora, "?status=active")
        self.assertEqual(self.rows(response), 1)
        self.assertContains(response, "<td>Mentee Number1</td>")
        self.assertNotContains(response, "<td>Theo Mentee</td>")
        self.assertContains(response, '<option value="active" selected>')

    def test_a_filter_with_no_matches_says_so(self):
        response = self.page_for(self.cora, "?status=concluded")
        self.assertContains(response, "No partnerships with this status yet.")

    def test_an_unknown_status_is_ignored(self):
        response = self.page_for(self.cora, "?status=bogus")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.rows(response), 1)
        self.assertNotContains(response, " selected>")

    @override_settings(PAGE_SIZE=2)
    def test_it_pages_the_list_by_page_size(self):
        self.add_mentees(4)
        first = self.page_for(self.cora)
        self.assertEqual(self.rows(first), 2)
        self.assertContains(first, "Page 1 of 3")
        self.assertContains(first, 'href="?page=2" rel="next"')
        # Newest first: the last mentee added opens the list.
        self.assertContains(first, "<td>Mentee Number4</td>")

        last = self.client.get(f"{self.url}?page=3")
        self.assertEqual(self.rows(last), 1)
        self.assertContains(last, "<td>Theo Mentee</td>")
        self.assertContains(last, 'href="?page=2" rel="prev"')
        self.assertNotContains(last, 'rel="next"')

    @override_settings(PAGE_SIZE=2)
    def test_an_impossible_page_number_shows_a_real_page(self):
        self.add_mentees(4)
        self.assertContains(self.page_for(self.cora, "?page=99"), "Page 3 of 3")
        self.assertContains(self.client.get(f"{self.url}?page=abc"), "Page 1 of 3")

    @override_settings(PAGE_SIZE=2)
    def test_the_page_links_keep_the_filter(self):
        self.add_mentees(4)
        response = self.page_for(self.cora, "?status=drafting")
        self.assertContains(response, 'href="?status=drafting&amp;page=2" rel="next"')

    def test_an_htmx_request_for_the_list_gets_only_the_list(self):
        response = self.page_for(self.cora, "?status=drafting", headers=HTMX_LIST)
        content = response.content.decode().strip()
        self.assertTrue(content.startswith('<div id="partnership-list">'), content[:80])
        self.assertNotIn("<h1>", content)
        self.assertNotIn("<html", content)
        self.assertIn("<td>Theo Mentee</td>", content)

    def test_an_htmx_request_for_another_target_gets_the_whole_page(self):
        headers = {"HX-Request": "true", "HX-Target": "main"}
        response = self.page_for(self.cora, headers=headers)
        self.assertContains(response, "<h1>Peer Mentoring</h1>")

    @override_settings(PAGE_SIZE=100)
    def test_its_query_count_does_not_grow_with_the_partnerships(self):
        # Session, user, the program with the access check (one query), the page's rows (with
        # their people), the program's template choice (none here: still one query), the
        # program's totals in one query (the due rows' counts: overdue agreements, no contact,
        # needing attention; the status counts, which also give the paginator its count; open
        # requests for help), the page's health (agreements in effect, latest agreements,
        # plans, midpoint reviews, closing reviews, held meetings): the same for 5 partnerships
        # as for 60, all of them on the page. Issue 18: was 16.
        self.sign_in(self.cora)
        self.add_mentees(4)
        with self.assertNumQueries(12):
            response = self.client.get(self.url)
        self.assertEqual(self.rows(response), 5)

        self.add_mentees(55)
        with self.assertNumQueries(12):
            response = self.client.get(self.url)
        self.assertEqual(self.rows(response), 60)

    def test_a_mentor_of_the_program_is_refused_with_a_reason(self):
        response = self.page_for(self.mia)
        self.assertContains(
            response, "Only the program&#x27;s coordinators can see its overview.", status_code=403
        )

    def test_a_mentee_of_the_program_is_refused(self):
        self.assertEqual(self.page_for(self.theo).status_code, 403)

    def test_an_outsider_gets_not_found(self):
        response = self.page_for(self.olive)
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Peer Mentoring", status_code=404)

    def test_the_coordinator_of_another_program_gets_not_found(self):
        other = Program.objects.create(name="Another Program")
        Enrolment.objects.create(program=other, user=self.olive, role=Enrolment.Role.COORDINATOR)
        self.assertEqual(self.page_for(self.olive).status_code, 404)

    def test_a_program_that_does_not_exist_is_not_found(self):
        url = reverse("programs:overview", args=[uuid.uuid4()])
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_asks_an_anonymous_visitor_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={self.url}", fetch_redirect_response=False
        )

    def test_it_refuses_post(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.post(self.url).status_code, 405)
