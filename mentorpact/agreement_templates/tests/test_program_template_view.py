from django.urls import reverse

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.services import choose_template
from mentorpact.programs.models import Program
from mentorpact.test import BaseTestCase

from . import own_template

# Session, user, the program with the access check (issue 18: was two queries); the template
# in use and its latest version; the list of templates; the history.
QUERIES = 7


class ProgramTemplatePageTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("agreement_templates:program", args=[self.program.public_id])

    def test_a_program_without_a_template_is_told_to_choose_one(self):
        self.sign_in(self.cora)

        response = self.client.get(self.url)

        self.assertContains(response, "<h1>Agreement template</h1>", html=True)
        self.assertContains(response, "No template yet.")
        for slug in (
            "aspe-partnership",
            "red-peer-mentoring",
            "remote-planning",
            "university-pilot",
            "whprms-partnership",
        ):
            self.assertContains(response, f'<input type="hidden" name="template" value="{slug}">')

    def test_it_shows_the_template_in_use_its_version_and_the_programs_rules(self):
        choose_template(
            program=self.program,
            template=AgreementTemplate.objects.get(slug="red-peer-mentoring"),
            user=self.cora,
        )
        self.sign_in(self.cora)

        response = self.client.get(self.url)

        self.assertContains(response, "red-peer-mentoring · version 1 · built-in (read-only)")
        # The program's own due date and address win over the form's "February 23rd" and RSP.
        self.assertContains(
            response, "<dt>Signed agreement due</dt><dd>23 February 2027</dd>", html=True
        )
        self.assertContains(
            response, "<dt>Signed agreements go to</dt><dd>office@example.org</dd>", html=True
        )
        self.assertContains(response, "<dt>First meeting</dt><dd>within 4 weeks</dd>", html=True)
        self.assertContains(response, '<span class="status status-active">In use</span>', html=True)
        self.assertContains(response, "Chose RED Peer Mentoring Agreement (version 1)")

    def test_its_own_templates_are_listed_with_an_edit_link_and_other_programs_are_not(self):
        mine = own_template(self.program)
        other = Program.objects.create(name="Other")
        own_template(other, slug="theirs")
        self.sign_in(self.cora)

        response = self.client.get(self.url)

        self.assertContains(response, reverse("agreement_templates:edit", args=[mine.slug]))
        self.assertNotContains(response, "theirs")

    def test_the_query_count_does_not_grow_with_the_templates_or_the_history(self):
        self.sign_in(self.cora)
        choose_template(program=self.program, template=own_template(self.program), user=self.cora)
        with self.assertNumQueries(QUERIES):
            self.client.get(self.url)
        for n in range(3):
            copy = own_template(self.program, slug=f"copy-{n}")
            choose_template(program=self.program, template=copy, user=self.cora)
        with self.assertNumQueries(QUERIES):
            self.client.get(self.url)

    def test_partners_are_refused_and_outsiders_not_found(self):
        for user, status in [(self.mia, 403), (self.theo, 403), (self.olive, 404)]:
            self.sign_in(user)
            self.assertEqual(self.client.get(self.url).status_code, status)

    def test_the_program_overview_links_here(self):
        self.sign_in(self.cora)

        response = self.client.get(reverse("programs:overview", args=[self.program.public_id]))

        self.assertContains(response, f'<a href="{self.url}">Agreement template</a>')
        self.assertContains(response, "(none chosen yet)")
