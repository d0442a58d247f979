from django.urls import reverse

from mentorpact.agreement_templates.services import save_template_source
from mentorpact.test import BaseTestCase

from . import own_template


class PreviewViewTest(BaseTestCase):
    def get(self, slug, query="", user=None):
        self.sign_in(user or self.cora)
        return self.client.get(reverse("agreement_templates:preview", args=[slug]) + query)

    def test_it_shows_the_form_as_the_mentee_sees_it_read_only(self):
        response = self.get("red-peer-mentoring")

        self.assertContains(response, "<h1>Preview: RED Peer Mentoring Agreement</h1>", html=True)
        self.assertContains(response, "This is the form exactly as the mentee sees it")
        self.assertContains(response, "The mentor fills this in")
        self.assertNotContains(response, "The mentee fills this in")
        html = response.content.decode()
        self.assertNotRegex(html, r"<(input|textarea|select) (?![^>]*disabled)[^>]*name=\"f\.")

    def test_it_shows_the_form_as_the_mentor_sees_it(self):
        response = self.get("red-peer-mentoring", "?as=mentor")

        self.assertContains(response, "The mentee fills this in")
        self.assertContains(response, '<strong aria-current="page">the mentor</strong>', html=True)

    def test_an_older_version_is_shown_on_request(self):
        template = own_template(self.program)
        v1 = template.latest_version()
        save_template_source(
            template=template, source=v1.source.replace('"Goal:"', '"New goal:"'), user=self.cora
        )

        self.assertContains(self.get(template.slug), "New goal:")
        old = self.get(template.slug, "?version=1")
        self.assertContains(old, "Goal:")
        self.assertNotContains(old, "New goal:")
        self.assertEqual(self.get(template.slug, "?version=9").status_code, 404)
        self.assertEqual(self.get(template.slug, "?version=x").status_code, 404)

    def test_partners_are_refused_and_outsiders_not_found(self):
        self.assertEqual(self.get("aspe-partnership", user=self.theo).status_code, 403)
        self.assertEqual(self.get("aspe-partnership", user=self.olive).status_code, 404)
        self.assertEqual(self.get("no-such-template").status_code, 404)
