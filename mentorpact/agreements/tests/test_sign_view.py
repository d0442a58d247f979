from django.core import mail
from django.test import override_settings

from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementVersion, ESignConsent, Signature
from mentorpact.agreements.tests.base import IMMEDIATE_TASKS, AgreementViewTestCase
from mentorpact.audit.models import Event


class SignViewTestCase(AgreementViewTestCase):
    def setUp(self):
        super().setUp()
        self.version = self.complete()

    def sign_form(self, user, version=None, **overrides) -> dict:
        return super().sign_form(user, version or self.version, **overrides)

    def test_the_page_shows_the_statement_hash_and_consent(self):
        self.sign_in(self.theo)
        r = self.client.get(self.url("sign"))
        self.assertContains(r, self.version.content_sha256)
        self.assertContains(r, services.ESIGN_CONSENT_STATEMENT)
        self.assertContains(r, 'name="consent"')
        self.assertContains(r, "I, Theo Mentee, sign version 1")
        self.assertContains(r, "Every two weeks")  # the agreement as it will be signed

    def test_signing_records_consent_and_the_signature(self):
        self.sign_in(self.theo)
        r = self.client.post(
            self.url("sign"), self.sign_form(self.theo), HTTP_USER_AGENT="TestBrowser/1.0"
        )
        self.assertRedirects(r, self.url("agreement"), fetch_redirect_response=False)
        signature = Signature.objects.get()
        self.assertEqual(signature.signer, self.theo)
        self.assertEqual(signature.ip, "127.0.0.1")
        self.assertEqual(signature.user_agent, "TestBrowser/1.0")
        self.assertEqual(signature.content_sha256, self.version.content_sha256)
        self.assertTrue(ESignConsent.objects.filter(user=self.theo, withdrawn_at=None).exists())
        kinds = {e.kind for e in Event.objects.filter(action__startswith="agreement.")}
        self.assertTrue({"consent_given", "signed"} <= kinds)

    def test_without_consent_nothing_is_signed(self):
        self.sign_in(self.theo)
        r = self.client.post(self.url("sign"), self.sign_form(self.theo, consent=""))
        self.assertContains(r, "Agree to do business electronically to sign here.")
        self.assertFalse(Signature.objects.exists())
        self.assertFalse(ESignConsent.objects.exists())

    def test_consent_is_asked_once(self):
        services.give_esign_consent(
            user=self.theo, agreement=self.agreement, ip=None, user_agent=""
        )
        self.sign_in(self.theo)
        r = self.client.get(self.url("sign"))
        self.assertNotContains(r, 'name="consent"')
        self.assertContains(r, "You agreed on")
        self.client.post(self.url("sign"), self.sign_form(self.theo, consent=""))
        self.assertTrue(Signature.objects.exists())

    def test_a_wrong_name_is_refused_beside_the_field_and_kept(self):
        self.sign_in(self.theo)
        r = self.client.post(self.url("sign"), self.sign_form(self.theo, typed_name="T. M."))
        self.assertContains(r, "Type your full name exactly as it appears on your account")
        self.assertContains(r, 'value="T. M."')
        self.assertFalse(Signature.objects.exists())

    def test_a_version_changed_since_it_was_shown_is_not_signed(self):
        shown = self.sign_form(self.theo)
        self.save(self.mia, {"frequency": "Changed meanwhile"})
        self.sign_in(self.theo)
        r = self.client.post(self.url("sign"), shown)
        self.assertContains(r, "changed after it was shown to you")
        self.assertFalse(Signature.objects.exists())

    @override_settings(TASKS=IMMEDIATE_TASKS)
    def test_the_second_signature_puts_it_in_effect_and_emails_the_pdf(self):
        self.sign(self.theo, self.version)
        self.sign_in(self.mia)
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(self.url("sign"), self.sign_form(self.mia), follow=True)
        self.assertContains(r, "version 1 is in effect")
        self.assertEqual(AgreementVersion.objects.get(pk=self.version.pk).status, "in_effect")
        self.assertEqual(len(mail.outbox), 3)
        self.assertTrue(all(m.attachments for m in mail.outbox))

    def test_an_incomplete_draft_shows_what_is_missing(self):
        self.save(self.theo, {"mentee_goals": ""})
        self.sign_in(self.theo)
        r = self.client.get(self.url("sign"))
        self.assertContains(r, "cannot be signed yet")
        self.assertContains(r, "My goals as a mentee: Fill this in.")
        self.assertNotContains(r, 'name="typed_name"')

    def test_after_activation_there_is_nothing_to_sign(self):
        self.sign_by_both()
        self.sign_in(self.theo)
        r = self.client.get(self.url("sign"), follow=True)
        self.assertContains(r, "There is no draft to sign")

    def test_the_coordinator_gets_403(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url("sign")).status_code, 403)
        r = self.client.post(self.url("sign"), self.sign_form(self.theo))
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Signature.objects.exists())

    def test_an_outsider_gets_404(self):
        self.sign_in(self.olive)
        self.assertEqual(self.client.post(self.url("sign"), {}).status_code, 404)
