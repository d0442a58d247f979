from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import AgreementViewTestCase


class AmendViewTestCase(AgreementViewTestCase):
    def test_it_starts_an_amendment_from_the_version_in_effect(self):
        first = self.sign_by_both()
        self.sign_in(self.mia)
        r = self.client.post(self.url("amend"), follow=True)
        self.assertContains(r, "Amendment started as version 2")
        self.assertContains(r, "Amendment: version 2")
        self.assertContains(r, "In effect: version 1")
        amendment = AgreementVersion.objects.get(number=2)
        self.assertEqual(amendment.previous, first)
        self.assertEqual(first.status, "in_effect")

    def test_before_anything_is_in_effect_it_says_so(self):
        self.sign_in(self.mia)
        r = self.client.post(self.url("amend"), follow=True)
        self.assertContains(r, "Nothing is in effect yet")
        self.assertEqual(AgreementVersion.objects.count(), 1)

    def test_get_is_refused(self):
        self.sign_in(self.mia)
        self.assertEqual(self.client.get(self.url("amend")).status_code, 405)

    def test_the_coordinator_gets_403_and_an_outsider_404(self):
        self.sign_by_both()
        self.sign_in(self.cora)
        self.assertEqual(self.client.post(self.url("amend")).status_code, 403)
        self.sign_in(self.olive)
        self.assertEqual(self.client.post(self.url("amend")).status_code, 404)
        self.assertEqual(AgreementVersion.objects.count(), 1)
