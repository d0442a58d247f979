from django.urls import reverse

from mentorpact.agreements.tests.base import AgreementViewTestCase


class PartnershipSectionTestCase(AgreementViewTestCase):
    def page(self, user):
        self.sign_in(user)
        return self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))

    def test_a_partner_sees_the_draft_and_its_signatures(self):
        self.sign(self.theo, self.complete())
        r = self.page(self.mia)
        self.assertContains(r, "Being drafted")
        self.assertContains(r, "1 of 2 signatures")
        self.assertContains(r, self.url("agreement"))

    def test_once_in_effect_it_links_the_signed_pdf(self):
        self.sign_by_both()
        r = self.page(self.theo)
        self.assertContains(r, "In effect")
        self.assertContains(r, self.url("pdf", 1, 1))

    def test_the_coordinator_sees_no_signature_count(self):
        self.complete()
        r = self.page(self.cora)
        self.assertContains(r, "Being drafted")
        self.assertNotContains(r, "signatures.")
