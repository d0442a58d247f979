from django.template.loader import render_to_string

from mentorpact.agreements import pdf, services
from mentorpact.agreements.tests.base import AgreementTestCase, pdf_pages_text

SCRIPT = "<script>alert('x')</script>"


class DraftPdfTestCase(AgreementTestCase):
    def test_every_page_of_a_draft_says_draft(self):
        self.save(self.theo, {"mentee_goals": "A long goal.\n" * 300, "frequency": "Weekly"})
        pages = pdf_pages_text(pdf.render_pdf(self.draft()))
        self.assertGreaterEqual(len(pages), 3)
        for number, page in enumerate(pages, start=1):
            self.assertIn("DRAFT", page, f"page {number} is not marked DRAFT")

    def test_it_shows_the_fields_and_values(self):
        self.save(self.theo, {"frequency": "Every two weeks", "first_meeting": "2027-01-20"})
        text = "".join(pdf_pages_text(pdf.render_pdf(self.draft())))
        self.assertIn("How often we meet", text)
        self.assertIn("Every two weeks", text)
        self.assertIn("20 January 2027", text)
        self.assertIn("Mentee's signature", text)  # blank signature lines on a draft
        self.assertNotIn("Signature page", text)

    def test_markup_is_printed_as_text(self):
        self.save(self.theo, {"frequency": SCRIPT})
        version = self.draft()
        html = render_to_string("agreements/pdf.html", pdf.pdf_context(version))
        self.assertNotIn(SCRIPT, html)
        self.assertIn("&lt;script&gt;", html)
        self.assertIn(SCRIPT, "".join(pdf_pages_text(pdf.render_pdf(version))))

    def test_a_url_in_the_content_is_never_fetched(self):
        self.save(self.theo, {"frequency": '<img src="http://192.0.2.1/x.png">'})
        # Escaped, so there is no <img> at all; and the fetcher allows no protocol anyway.
        self.assertTrue(pdf.render_pdf(self.draft()).startswith(b"%PDF-"))


class SignedPdfTestCase(AgreementTestCase):
    def setUp(self):
        super().setUp()
        self.theo.time_zone = "Europe/Berlin"
        self.theo.save()
        self.version = self.sign_by_both()
        self.pages = pdf_pages_text(pdf.render_pdf(self.version))

    def test_a_signed_version_is_not_marked_draft(self):
        for page in self.pages:
            self.assertNotIn("DRAFT", page)
        self.assertIn("Signed — in effect", self.pages[0])

    def test_it_has_a_signature_page_with_names_times_and_hashes(self):
        text = "".join(self.pages)
        page = text[text.index("Signature page") : text.index("Audit trail")]
        self.assertIn("The mentee: Theo Mentee", page)
        self.assertIn("The mentor: Mia Mentor", page)
        self.assertRegex(page, r"CET \(Europe/Berlin\)|CEST \(Europe/Berlin\)")
        self.assertIn("UTC", page)
        self.assertIn(self.version.content_sha256, page.replace(" ", "").replace("\n", ""))
        self.assertIn("192.0.2.10", page)
        self.assertIn("Consent to sign", page)  # and when it was given

    def test_it_has_an_audit_trail_page(self):
        page = next(p for p in self.pages if "Audit trail" in p)
        self.assertIn("Drafted from the template", page)
        self.assertIn("Signed as the mentee", page)
        self.assertIn("Signed as the mentor", page)
        self.assertIn("Agreement in effect", page)
        self.assertIn("Consent to sign electronically given", page)

    def test_the_signature_and_audit_pages_start_new_pages(self):
        starts = [p.strip().splitlines() for p in self.pages]
        headings = [
            next(line for line in lines if line.strip() and "Test Pact" not in line)
            for lines in starts
        ]
        self.assertIn("Signature page", [h.strip() for h in headings])
        self.assertIn("Audit trail", [h.strip() for h in headings])

    def test_downloads_after_activation_are_not_in_the_audit_trail(self):
        services.record_pdf_download(version=self.version, user=self.theo)
        text = "".join(pdf_pages_text(pdf.render_pdf(self.version)))
        self.assertNotIn("downloaded", text)
