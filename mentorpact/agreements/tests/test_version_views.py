from mentorpact.agreements.tests.base import AgreementViewTestCase, pdf_pages_text
from mentorpact.audit.models import Event


class VersionPageTestCase(AgreementViewTestCase):
    def test_a_partner_reads_a_draft(self):
        self.complete()
        self.sign_in(self.mia)
        r = self.client.get(self.url("version", 1, 1))
        self.assertContains(r, "Every two weeks")
        self.assertContains(r, self.draft().content_sha256)

    def test_an_unknown_version_is_404(self):
        self.sign_in(self.mia)
        self.assertEqual(self.client.get(self.url("version", 1, 7)).status_code, 404)


class VersionPdfTestCase(AgreementViewTestCase):
    def test_a_partner_downloads_a_draft_marked_draft(self):
        self.complete()
        self.sign_in(self.theo)
        r = self.client.get(self.url("pdf", 1, 1))
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn("-1-v1-draft.pdf", r["Content-Disposition"])
        self.assertTrue(all("DRAFT" in page for page in pdf_pages_text(r.content)))
        event = Event.objects.get(action="agreement.pdf_downloaded")
        self.assertEqual(event.actor, self.theo)
        self.assertEqual(event.details["number"], 1)

    def test_a_signed_version_downloads_as_the_sealed_copy(self):
        version = self.sign_by_both()
        self.sign_in(self.theo)
        first = self.client.get(self.url("pdf", 1, 1)).content
        second = self.client.get(self.url("pdf", 1, 1)).content
        self.assertEqual(first, second)  # the stored copy, byte for byte
        from mentorpact.agreements.sealing import verify_pdf

        self.assertTrue(verify_pdf(first).intact)
        version.refresh_from_db()
        self.assertEqual(Event.objects.filter(action="agreement.pdf_downloaded").count(), 2)
