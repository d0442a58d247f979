"""Agreements over the API: what the coordinator may know of them, as on the pages. A
template that keeps signed agreements with the pair (distribution: pair) keeps its PDF from
the coordinator (403, as the page); drafts are the partners' alone."""

from django.test import TestCase

from mentorpact.accounts import services as account_services
from mentorpact.agreements import services as agreement_services
from mentorpact.progress.tests.base import ProgressMixin


class PairOnlyAgreementTest(ProgressMixin, TestCase):
    slug = "remote-planning"  # distribution: pair

    def setUp(self):
        super().setUp()
        self.signed = self.sign()
        # A continuation's draft after the signed one: the partners' only.
        agreement_services.start_continuation(partnership=self.partnership, actor=self.mia)
        self.cora_token = account_services.create_access_token(
            user=self.cora, name="Reports", scope="read"
        )[1]
        self.mia_token = account_services.create_access_token(
            user=self.mia, name="Mine", scope="read"
        )[1]

    def get(self, token: str, path: str):
        return self.client.get(
            f"/api/v1/partnerships/{self.partnership.public_id}{path}",
            headers={"Authorization": f"Bearer {token}"},
        )

    def test_the_coordinator_sees_what_was_signed_and_when_but_not_the_pdf(self):
        agreements = self.get(self.cora_token, "/agreements").json()

        versions = [v for a in agreements for v in a["versions"]]
        self.assertEqual([v["status"] for v in versions], ["in_effect"])
        self.assertFalse(versions[0]["pdf"])
        self.assertEqual(versions[0]["content_sha256"], self.signed.content_sha256)
        pdf = self.get(
            self.cora_token,
            f"/agreements/{self.signed.agreement.number}/versions/{self.signed.number}/pdf",
        )
        self.assertEqual(pdf.status_code, 403)

    def test_the_partners_see_every_version_and_download_the_signed_one(self):
        agreements = self.get(self.mia_token, "/agreements").json()

        statuses = [v["status"] for a in agreements for v in a["versions"]]
        self.assertIn("draft", statuses)
        self.assertIn("in_effect", statuses)
        pdf = self.get(
            self.mia_token,
            f"/agreements/{self.signed.agreement.number}/versions/{self.signed.number}/pdf",
        )
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_a_draft_has_no_signed_pdf(self):
        draft = [
            (a["number"], v["number"])
            for a in self.get(self.mia_token, "/agreements").json()
            for v in a["versions"]
            if v["status"] == "draft"
        ][0]

        response = self.get(self.mia_token, f"/agreements/{draft[0]}/versions/{draft[1]}/pdf")

        self.assertEqual(response.status_code, 404)
