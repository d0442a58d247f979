from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorpact.agreements import pdf, services
from mentorpact.agreements.tests.base import AgreementViewTestCase
from mentorpact.agreements.tests.test_sealing import flip_byte


class VerifyViewTestCase(AgreementViewTestCase):
    def setUp(self):
        super().setUp()
        self.version = self.sign_by_both()
        self.sealed = services.seal_signed_version(version=self.version)

    def upload(self, data: bytes):
        return self.client.post(
            reverse("agreements:verify"),
            {"pdf": SimpleUploadedFile("agreement.pdf", data, "application/pdf")},
        )

    def test_anyone_can_open_it(self):
        self.assertContains(self.client.get(reverse("agreements:verify")), "Check the PDF")

    def test_an_intact_pdf_shows_its_identity_but_no_names_to_strangers(self):
        r = self.upload(self.sealed)
        self.assertContains(r, "Intact.")
        self.assertContains(r, str(self.partnership.public_id))
        self.assertContains(r, self.version.content_sha256)
        self.assertNotContains(r, "Mia Mentor")

    def test_a_partner_also_sees_the_names(self):
        self.sign_in(self.theo)
        self.assertContains(self.upload(self.sealed), "Mia Mentor (mentor) and Theo Mentee")

    def test_a_changed_byte_is_not_intact(self):
        r = self.upload(flip_byte(self.sealed, len(self.sealed) // 2))
        self.assertContains(r, "Not intact.")
        self.assertNotContains(r, "Intact.")

    def test_an_unsigned_draft_is_not_intact(self):
        self.assertContains(self.upload(pdf.render_pdf(self.version)), "no seal")

    def test_a_file_that_is_not_a_pdf_is_not_intact(self):
        self.assertContains(self.upload(b"<script>alert(1)</script>"), "This is not a PDF file.")

    def test_no_file_is_a_field_error(self):
        r = self.client.post(reverse("agreements:verify"), {})
        self.assertContains(r, "This field is required.")

    def test_a_client_gets_a_pause_after_the_limit_and_others_do_not(self):
        from django.conf import settings

        for _ in range(settings.VERIFY_LIMIT):
            self.assertContains(self.upload(self.sealed), "Intact.")
        r = self.upload(self.sealed)
        self.assertContains(r, "Too many checks from here", status_code=429)
        self.assertNotContains(r, "Intact.", status_code=429)
        other = self.client.post(
            reverse("agreements:verify"),
            {"pdf": SimpleUploadedFile("agreement.pdf", self.sealed, "application/pdf")},
            REMOTE_ADDR="198.51.100.7",
        )
        self.assertContains(other, "Intact.")

    def test_a_file_larger_than_any_agreement_is_refused_unread(self):
        r = self.upload(b"%PDF-1.7\n" + b"0" * (4 * 1024 * 1024 + 1))
        self.assertContains(r, "agreements are far smaller")
