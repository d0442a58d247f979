"""start_continuation: a partnership that continues with new goals gets its next agreement,
pre-filled from the one in effect, to be signed again (a closing review's decision)."""

from mentorpact.agreements import services
from mentorpact.agreements.models import Agreement, AgreementVersion
from mentorpact.agreements.tests.base import MENTEE_PART, AgreementTestCase, draft_of
from mentorpact.test import events_of


class StartContinuationTest(AgreementTestCase):
    def test_it_drafts_agreement_2_from_the_content_in_effect(self):
        signed = self.sign_by_both()
        continuation = services.start_continuation(partnership=self.partnership, actor=self.theo)

        self.assertEqual((continuation.number, continuation.status), (2, "drafting"))
        draft = continuation.versions.get()
        self.assertEqual(draft.status, AgreementVersion.Status.DRAFT)
        self.assertEqual(draft.template_version, signed.template_version)
        self.assertEqual(draft.content["mentee_goals"], MENTEE_PART["mentee_goals"])
        self.assertEqual(draft.signatures.count(), 0)
        event = events_of(continuation).get()
        self.assertEqual((event.kind, event.details["continues"]), ("drafted", 1))

    def test_the_agreement_in_effect_stays_in_effect_until_the_new_one_is_signed(self):
        signed = self.sign_by_both()
        services.start_continuation(partnership=self.partnership, actor=self.mia)
        signed.refresh_from_db()
        self.assertEqual(signed.status, AgreementVersion.Status.IN_EFFECT)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "active")

    def test_asking_twice_gives_the_same_draft(self):
        self.sign_by_both()
        first = services.start_continuation(partnership=self.partnership, actor=self.mia)
        second = services.start_continuation(partnership=self.partnership, actor=self.theo)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Agreement.objects.count(), 2)

    def test_an_unsigned_agreement_cannot_continue(self):
        with self.assertRaisesMessage(services.AgreementError, "in effect can continue"):
            services.start_continuation(partnership=self.partnership, actor=self.mia)
        self.assertEqual(Agreement.objects.count(), 1)

    def test_signing_it_supersedes_the_previous_agreement(self):
        first = self.sign_by_both()
        second = services.start_continuation(partnership=self.partnership, actor=self.mia)
        draft = services.save_draft(
            agreement=second,
            user=self.mia,
            values={"frequency": "Monthly"},
            based_on_revision=draft_of(second).revision,
        )
        self.agreement = second  # where self.sign records consent
        self.sign(self.mia, draft)
        self.sign(self.theo, AgreementVersion.objects.get(pk=draft.pk))
        first.refresh_from_db()
        self.assertEqual(first.status, AgreementVersion.Status.SUPERSEDED)
        in_effect = AgreementVersion.objects.get(
            agreement__partnership=self.partnership, status=AgreementVersion.Status.IN_EFFECT
        )
        self.assertEqual(in_effect.pk, draft.pk)
