"""What a program's coordinator may read depends on the template: "returned to the program"
(distribution: program) lets them read the signed agreement; "between the pair" shows only
that it is signed and when. Drafts are never theirs."""

from mentorpact.agreements.tests.base import AgreementViewTestCase


class ReturnedToTheProgramTestCase(AgreementViewTestCase):
    distribution = "program"

    def test_the_coordinator_reads_the_signed_version(self):
        version = self.sign_by_both()
        self.sign_in(self.cora)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "you can read the version in effect")
        r = self.client.get(self.url("version", 1, version.number))
        self.assertContains(r, "Every two weeks")
        r = self.client.get(self.url("pdf", 1, version.number))
        self.assertEqual(r["Content-Type"], "application/pdf")

    def test_the_coordinator_cannot_read_a_draft(self):
        self.complete()
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url("version", 1, 1)).status_code, 403)
        self.assertEqual(self.client.get(self.url("pdf", 1, 1)).status_code, 403)

    def test_the_coordinator_cannot_read_an_amendment_draft(self):
        self.sign_by_both()
        from mentorpact.agreements import services

        services.propose_amendment(agreement=self.agreement, user=self.theo)
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url("version", 1, 2)).status_code, 403)


class BetweenThePairTestCase(AgreementViewTestCase):
    distribution = "pair"

    def test_the_coordinator_sees_only_that_it_is_signed_and_when(self):
        version = self.sign_by_both()
        self.sign_in(self.cora)
        r = self.client.get(self.url("agreement"))
        self.assertContains(r, "stay between mentor and mentee")
        self.assertContains(r, "Signed on")
        self.assertNotContains(r, "Every two weeks")
        self.assertNotContains(r, self.url("pdf", 1, version.number))

    def test_the_coordinator_gets_403_for_the_content_and_the_pdf(self):
        version = self.sign_by_both()
        self.sign_in(self.cora)
        r = self.client.get(self.url("version", 1, version.number))
        self.assertContains(r, "stay between mentor and mentee", status_code=403)
        self.assertEqual(self.client.get(self.url("pdf", 1, version.number)).status_code, 403)

    def test_the_partners_still_read_it(self):
        version = self.sign_by_both()
        self.sign_in(self.mia)
        self.assertContains(
            self.client.get(self.url("version", 1, version.number)), "Every two weeks"
        )
