import subprocess

from django.urls import reverse

from mentorpact.test import BaseTestCase

from . import own_template


class PrintViewTest(BaseTestCase):
    def test_the_print_layout_is_the_paper_form_on_a_sheet(self):
        self.sign_in(self.cora)

        response = self.client.get(
            reverse("agreement_templates:print", args=["whprms-partnership"])
        )

        self.assertContains(response, '<div class="ag-sheet">')
        self.assertContains(response, "<h1>WHPRMS Mentor Partnership Agreement</h1>", html=True)
        self.assertContains(response, "Mentor&#x27;s signature")
        self.assertContains(response, '<th scope="col">Venue</th>', html=True)
        self.assertContains(
            response, reverse("agreement_templates:pdf", args=["whprms-partnership"])
        )

    def test_the_pdf_downloads_with_the_templates_name_and_version(self):
        template = own_template(self.program)
        self.sign_in(self.cora)

        response = self.client.get(reverse("agreement_templates:pdf", args=[template.slug]))

        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(response["Content-Disposition"], 'inline; filename="peer-own-v1.pdf"')
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn("Peer Mentoring’s own agreement".replace("’", "'"), text)
        self.assertIn("Mentee's signature", text)

    def test_partners_are_refused_and_outsiders_not_found(self):
        for name in ("print", "pdf"):
            url = reverse(f"agreement_templates:{name}", args=["aspe-partnership"])
            for user, status in [(self.mia, 403), (self.olive, 404)]:
                self.sign_in(user)
                with self.subTest(name=name, user=user.email):
                    self.assertEqual(self.client.get(url).status_code, status)
