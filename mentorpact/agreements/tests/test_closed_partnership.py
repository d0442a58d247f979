"""A closed partnership's agreement is a closed record: no edits, signatures or amendments."""

from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementVersion, Signature
from mentorpact.agreements.tests.base import AgreementViewTestCase
from mentorpact.partnerships import services as partnership_services


class ClosedPartnershipTestCase(AgreementViewTestCase):
    def close(self, status: str = "ended_early") -> None:
        self.partnership.refresh_from_db()  # signing may have made it active
        partnership_services.change_status(
            partnership=self.partnership, to_status=status, actor=self.theo
        )

    def test_it_refuses_a_draft_edit_after_the_partnership_ended(self):
        draft = self.draft()
        self.close()
        with self.assertRaises(services.PartnershipClosed):
            self.save(self.theo, {"frequency": "Weekly"}, based_on=draft.revision)
        draft.refresh_from_db()
        self.assertNotEqual(draft.content.get("frequency"), "Weekly")

    def test_it_refuses_a_signature_after_the_partnership_ended(self):
        version = self.complete()
        self.close()
        with self.assertRaises(services.PartnershipClosed):
            self.sign(self.theo, version)
        self.assertFalse(Signature.objects.filter(version=version).exists())

    def test_it_refuses_an_amendment_after_the_partnership_concluded(self):
        self.sign_by_both()
        self.close("concluded")
        with self.assertRaises(services.PartnershipClosed):
            services.propose_amendment(agreement=self.agreement, user=self.mia)
        self.assertFalse(AgreementVersion.objects.filter(status="draft").exists())

    def test_the_edit_page_says_why_instead_of_saving(self):
        draft = self.draft()
        self.close()
        self.client.force_login(self.theo)
        response = self.client.post(
            self.url("agreement"),
            self.form_post(draft, frequency="Weekly"),
            follow=True,
        )
        self.assertContains(response, "This partnership has ended early")
