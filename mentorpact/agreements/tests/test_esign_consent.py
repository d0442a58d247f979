from mentorpact.agreements import selectors, services
from mentorpact.agreements.models import AgreementAction, ESignConsent
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.audit.models import Event


class ESignConsentTestCase(AgreementTestCase):
    def give(self, user):
        return services.give_esign_consent(
            user=user, agreement=self.agreement, ip="192.0.2.1", user_agent="Firefox"
        )

    def test_consent_is_recorded_with_its_statement(self):
        consent = self.give(self.theo)
        self.assertEqual(consent.statement, services.ESIGN_CONSENT_STATEMENT)
        self.assertEqual(consent.ip, "192.0.2.1")
        self.assertEqual(consent.user_agent, "Firefox")
        self.assertIsNone(consent.withdrawn_at)
        event = Event.objects.get(action=AgreementAction.CONSENT_GIVEN)
        self.assertEqual(event.actor, self.theo)

    def test_consent_is_recorded_once_per_person(self):
        first = self.give(self.theo)
        second = self.give(self.theo)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(ESignConsent.objects.count(), 1)
        self.assertEqual(Event.objects.filter(action="agreement.consent_given").count(), 1)

    def test_consent_can_be_withdrawn(self):
        self.give(self.theo)
        self.assertTrue(services.withdraw_esign_consent(user=self.theo, agreement=self.agreement))
        self.assertIsNone(selectors.active_consent(self.theo))
        self.assertIsNotNone(ESignConsent.objects.get().withdrawn_at)
        self.assertTrue(Event.objects.filter(action="agreement.consent_withdrawn").exists())

    def test_withdrawing_without_consent_changes_nothing(self):
        self.assertFalse(services.withdraw_esign_consent(user=self.theo, agreement=self.agreement))
        self.assertFalse(Event.objects.filter(action="agreement.consent_withdrawn").exists())

    def test_after_withdrawing_signing_is_refused(self):
        version = self.complete()
        self.give(self.theo)
        services.withdraw_esign_consent(user=self.theo, agreement=self.agreement)
        with self.assertRaisesMessage(services.SignatureRefused, "consent"):
            services.sign_agreement(**self.signing_arguments(self.theo, version))

    def test_withdrawing_keeps_signatures_already_given(self):
        version = self.complete()
        signature = self.sign(self.theo, version)
        services.withdraw_esign_consent(user=self.theo, agreement=self.agreement)
        signature.refresh_from_db()
        self.assertIsNone(signature.voided_at)

    def test_consent_can_be_given_again_after_withdrawing(self):
        self.give(self.theo)
        services.withdraw_esign_consent(user=self.theo, agreement=self.agreement)
        again = self.give(self.theo)
        self.assertIsNone(again.withdrawn_at)
        self.assertEqual(ESignConsent.objects.count(), 2)
