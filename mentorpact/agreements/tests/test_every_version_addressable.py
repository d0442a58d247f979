"""Every version of every agreement a partnership has had stays addressable: amend, continue
with new goals, amend again, and each version's page and PDF is the one its URL names, for
every persona, with a file name that carries the agreement and the version."""

from mentorpact.agreements import services
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.agreements.tests.base import AgreementViewTestCase, pdf_pages_text


class EveryVersionAddressableTest(AgreementViewTestCase):
    def amend_and_sign(self, agreement: Agreement, frequency: str) -> AgreementVersion:
        self.agreement = agreement  # where self.sign records consent
        draft = services.propose_amendment(agreement=agreement, user=self.mia)
        draft = self.save(self.mia, {"frequency": frequency}, based_on=draft.revision)
        self.sign(self.mia, draft)
        self.sign(self.theo, AgreementVersion.objects.get(pk=draft.pk))
        return AgreementVersion.objects.get(pk=draft.pk)

    def walk(self) -> list[AgreementVersion]:
        """Agreement 1 v1 signed, v2 an amendment signed; agreement 2 (a continuation) v1
        signed, v2 an amendment signed, v3 an amendment still being drafted."""
        self.sign_by_both()  # "Every two weeks"
        first = Agreement.objects.get(pk=self.agreement.pk)
        self.amend_and_sign(first, "Fortnightly")
        second = services.start_continuation(partnership=self.partnership, actor=self.theo)
        self.agreement = second
        self.save(self.mia, {"frequency": "Monthly"})
        self.sign(self.mia, self.draft())
        self.sign(self.theo, self.draft())
        self.amend_and_sign(Agreement.objects.get(pk=second.pk), "Every six weeks")
        services.propose_amendment(agreement=second, user=self.theo)
        return list(
            AgreementVersion.objects.filter(agreement__partnership=self.partnership).order_by(
                "agreement__number", "number"
            )
        )

    def test_each_version_url_serves_that_version_to_every_persona(self):
        versions = self.walk()
        statuses = [(v.agreement.number, v.number, v.status) for v in versions]
        self.assertEqual(
            statuses,
            [
                (1, 1, "superseded"),
                (1, 2, "superseded"),
                (2, 1, "superseded"),
                (2, 2, "in_effect"),
                (2, 3, "draft"),
            ],
        )
        frequencies = {
            (1, 1): "Every two weeks",
            (1, 2): "Fortnightly",
            (2, 1): "Monthly",
            (2, 2): "Every six weeks",
            (2, 3): "Every six weeks",
        }
        for version in versions:
            key = (version.agreement.number, version.number)
            with self.subTest(version=key):
                page, pdf = self.url("version", *key), self.url("pdf", *key)
                for partner in (self.mia, self.theo):
                    self.sign_in(partner)
                    r = self.client.get(page)
                    self.assertContains(r, frequencies[key])
                    self.assertContains(r, version.content_sha256)
                    r = self.client.get(pdf)
                    self.assertEqual(r.status_code, 200)
                    state = "signed" if version.is_signed else "draft"
                    self.assertIn(
                        f"-{key[0]}-v{key[1]}-{state}.pdf", r["Content-Disposition"], partner
                    )
                    text = "".join(pdf_pages_text(r.content))
                    self.assertIn(frequencies[key], text)
                    self.assertEqual("DRAFT" in text, not version.is_signed)
                # distribution "program": the coordinator reads every signed version, no draft.
                self.sign_in(self.cora)
                expected = 200 if version.is_signed else 403
                self.assertEqual(self.client.get(page).status_code, expected)
                self.assertEqual(self.client.get(pdf).status_code, expected)
                self.sign_in(self.olive)
                self.assertEqual(self.client.get(page).status_code, 404)
                self.assertEqual(self.client.get(pdf).status_code, 404)

    def test_a_version_of_an_agreement_the_partnership_never_had_is_404(self):
        self.walk()
        self.sign_in(self.mia)
        self.assertEqual(self.client.get(self.url("version", 3, 1)).status_code, 404)
        self.assertEqual(self.client.get(self.url("pdf", 1, 3)).status_code, 404)

    def test_the_pages_link_the_signed_copy_of_the_agreement_in_effect(self):
        self.walk()
        in_effect = self.url("pdf", 2, 2)
        for user in (self.mia, self.cora):
            self.sign_in(user)
            partnership_page = self.client.get(f"/partnerships/{self.partnership.public_id}/")
            self.assertContains(partnership_page, in_effect)
        self.sign_in(self.theo)
        self.assertContains(self.client.get(self.url("agreement")), in_effect)

    def test_history_lists_every_version_of_every_agreement(self):
        self.walk()
        self.sign_in(self.theo)
        r = self.client.get(self.url("history"))
        for key in ((1, 1), (1, 2), (2, 1), (2, 2), (2, 3)):
            self.assertContains(r, self.url("version", *key))
            self.assertContains(r, self.url("pdf", *key))
        self.assertContains(r, "Agreement 1: versions")
        self.assertContains(r, "Agreement 2: versions")
