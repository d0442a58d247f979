from django.urls import reverse

from mentorpact.agreement_templates import reference_doc
from mentorpact.test import BaseTestCase


class ReferenceViewTest(BaseTestCase):
    def test_it_serves_docs_templates_md_as_a_page_with_contents(self):
        self.sign_in(self.cora)

        response = self.client.get(reverse("agreement_templates:reference"))

        self.assertContains(response, "<h1>Agreement templates: the template format</h1>")
        self.assertContains(response, '<h2 id="rules">Rules</h2>', html=True)
        self.assertContains(response, '<li><a href="#rules">Rules</a></li>', html=True)
        # A passage of the file itself, rendered.
        self.assertContains(response, "<code>distribution</code>")

    def test_raw_html_in_the_markdown_is_shown_as_text(self):
        page = reference_doc.render("# T\n\n## Part one\n\n<script>alert(1)</script>\n")

        self.assertNotIn("<script>", page.html)
        self.assertIn("&lt;script&gt;", page.html)
        self.assertEqual((page.title, page.contents), ("T", (("part-one", "Part one"),)))

    def test_anonymous_is_sent_to_sign_in(self):
        response = self.client.get(reverse("agreement_templates:reference"))

        self.assertEqual(response.status_code, 302)
