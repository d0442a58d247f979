from django.core.exceptions import PermissionDenied

from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementAction, AgreementVersion
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership


class ProposeAmendmentTestCase(AgreementTestCase):
    def setUp(self):
        super().setUp()
        self.first = self.sign_by_both()

    def propose(self, user=None):
        return services.propose_amendment(agreement=self.agreement, user=user or self.theo)

    def test_it_drafts_from_the_version_in_effect(self):
        amendment = self.propose()
        self.assertEqual(amendment.number, 2)
        self.assertTrue(amendment.is_amendment)
        self.assertEqual(amendment.previous, self.first)
        self.assertEqual(amendment.content, self.first.content)
        self.assertEqual(amendment.content_sha256, self.first.content_sha256)
        self.assertGreater(amendment.revision, self.first.revision)
        event = Event.objects.get(action=AgreementAction.AMENDMENT_PROPOSED)
        self.assertEqual(event.actor, self.theo)

    def test_the_old_version_stays_in_effect_while_the_amendment_is_drafted(self):
        self.propose()
        self.save(self.mia, {"frequency": "Monthly"})
        self.first.refresh_from_db()
        self.assertEqual(self.first.status, AgreementVersion.Status.IN_EFFECT)
        self.assertEqual(self.first.content["frequency"], "Every two weeks")

    def test_signing_the_amendment_supersedes_the_old_version(self):
        self.propose()
        amendment = self.save(self.mia, {"frequency": "Monthly"})
        self.sign(self.mia, amendment)
        self.sign(self.theo, AgreementVersion.objects.get(pk=amendment.pk))
        self.first.refresh_from_db()
        amendment.refresh_from_db()
        self.assertEqual(self.first.status, AgreementVersion.Status.SUPERSEDED)
        self.assertIsNotNone(self.first.superseded_at)
        self.assertEqual(amendment.status, AgreementVersion.Status.IN_EFFECT)
        self.assertEqual(Partnership.objects.get().status, Partnership.Status.ACTIVE)

    def test_only_one_amendment_at_a_time(self):
        self.propose()
        with self.assertRaisesMessage(services.AgreementError, "already being drafted"):
            self.propose(self.mia)

    def test_the_coordinator_cannot_propose(self):
        with self.assertRaises(PermissionDenied):
            self.propose(self.cora)


class AmendmentBeforeSigningTestCase(AgreementTestCase):
    def test_it_is_refused_while_nothing_is_in_effect(self):
        with self.assertRaisesMessage(services.AgreementError, "Nothing is in effect yet"):
            services.propose_amendment(agreement=self.agreement, user=self.theo)
        self.assertEqual(AgreementVersion.objects.count(), 1)
