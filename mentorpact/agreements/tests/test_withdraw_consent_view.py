from mentorpact.agreements import services
from mentorpact.agreements.models import ESignConsent
from mentorpact.agreements.tests.base import AgreementViewTestCase
from mentorpact.audit.models import Event


class WithdrawConsentViewTestCase(AgreementViewTestCase):
    def test_it_withdraws_and_records_it(self):
        services.give_esign_consent(
            user=self.theo, agreement=self.agreement, ip=None, user_agent=""
        )
        self.sign_in(self.theo)
        r = self.client.post(self.url("withdraw_consent"), follow=True)
        self.assertContains(r, "You withdrew your consent")
        self.assertIsNotNone(ESignConsent.objects.get().withdrawn_at)
        self.assertTrue(Event.objects.filter(action="agreement.consent_withdrawn").exists())

    def test_get_is_refused(self):
        self.sign_in(self.theo)
        self.assertEqual(self.client.get(self.url("withdraw_consent")).status_code, 405)

    def test_the_coordinator_gets_403(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.post(self.url("withdraw_consent")).status_code, 403)
