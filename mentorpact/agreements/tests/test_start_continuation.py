from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import MENTOR_PART, AgreementTestCase


class StartContinuationTestCase(AgreementTestCase):
    def test_the_next_agreement_starts_from_the_one_in_effect(self):
        first = self.sign_by_both()
        second = services.start_continuation(partnership=self.partnership, actor=self.mia)
        self.assertEqual(second.number, 2)
        draft = services.current_draft(second)
        self.assertEqual(draft.content, first.content)
        self.assertEqual(
            services.start_continuation(partnership=self.partnership, actor=self.theo), second
        )

    def test_signing_it_supersedes_the_previous_agreement(self):
        first = self.sign_by_both()
        second = services.start_continuation(partnership=self.partnership, actor=self.mia)
        draft = services.save_draft(
            agreement=second,
            user=self.mia,
            values={**MENTOR_PART, "frequency": "Monthly"},
            based_on_revision=services.current_draft(second).revision,
        )
        self.agreement = second
        self.sign(self.mia, draft)
        self.sign(self.theo, AgreementVersion.objects.get(pk=draft.pk))
        first.refresh_from_db()
        self.assertEqual(first.status, AgreementVersion.Status.SUPERSEDED)
        self.assertEqual(
            AgreementVersion.objects.filter(
                agreement__partnership=self.partnership, status="in_effect"
            ).get(),
            AgreementVersion.objects.get(pk=draft.pk),
        )
