from datetime import date

from django.test import TestCase, override_settings

from demo import player
from mentorpact.agreements.models import Agreement, AgreementVersion, Signature
from mentorpact.agreements.tests.base import shared_media_root
from mentorpact.audit.models import Event
from mentorpact.partnerships.models import Partnership


@override_settings(MEDIA_ROOT=shared_media_root())
class DemoAgreementsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        player.load_demo()

    def test_every_seed_program_has_a_signed_agreement(self):
        for spec in player.story()["programs"]:
            with self.subTest(spec["short"]):
                self.assertTrue(
                    AgreementVersion.objects.filter(
                        agreement__partnership__program__name=spec["name"],
                        status=AgreementVersion.Status.IN_EFFECT,
                    ).exists()
                )

    def test_one_partnership_has_an_amendment_in_progress(self):
        amendments = AgreementVersion.objects.filter(
            status=AgreementVersion.Status.DRAFT, is_amendment=True
        )
        self.assertGreaterEqual(amendments.count(), 1)
        amendment = amendments.select_related("agreement__partnership__mentee").first()
        self.assertTrue(
            amendment.agreement.versions.filter(status=AgreementVersion.Status.IN_EFFECT).exists()
        )

    def test_agreements_read_as_signed_on_the_day_the_pair_became_active(self):
        partnership = Partnership.objects.get(
            program__name="ASPE Mentoring Program", mentee__email="mateus.silva@example.org"
        )
        version = AgreementVersion.objects.get(agreement__partnership=partnership, number=1)
        self.assertEqual(version.effective_at.date(), date(2026, 11, 12))
        signed = Event.objects.filter(
            action="agreement.signed",
            details__version_id=version.pk,
        )
        self.assertEqual(
            sorted(e.at.date() for e in signed), [date(2026, 11, 11), date(2026, 11, 12)]
        )

    def test_each_signer_consented_before_signing(self):
        for signature in Signature.objects.select_related("consent"):
            self.assertLessEqual(signature.consent.given_at, signature.signed_at)

    def test_the_overdue_pair_has_one_signature_of_two(self):
        agreement = Agreement.objects.get(partnership__mentee__email="arjun.nair@example.org")
        draft = agreement.versions.get(status=AgreementVersion.Status.DRAFT)
        self.assertEqual([s.role for s in draft.signatures.all()], ["mentee"])
        self.assertEqual(agreement.due_on, date(2026, 10, 12))

    def test_nobody_is_emailed_about_the_past(self):
        self.assertFalse(
            AgreementVersion.objects.filter(
                status__in=AgreementVersion.SIGNED_STATUSES, delivered_at__isnull=True
            ).exists()
        )

    def test_the_worker_is_asked_to_seal_every_signed_agreement_and_to_email_nothing(self):
        from django_tasks_db.models import DBTaskResult

        queued = DBTaskResult.objects.filter(status="READY")
        self.assertEqual(
            sorted(queued.values_list("args_kwargs__kwargs__version_id", flat=True)),
            sorted(
                AgreementVersion.objects.filter(
                    status__in=AgreementVersion.SIGNED_STATUSES
                ).values_list("pk", flat=True)
            ),
        )
        self.assertEqual(
            set(queued.values_list("task_path", flat=True)),
            {"mentorpact.agreements.tasks.seal_signed_agreement"},
        )

    def test_a_second_run_changes_nothing(self):
        counts = (AgreementVersion.objects.count(), Signature.objects.count())
        events = Event.objects.filter(action__startswith="agreement.").count()
        player.load_demo()
        self.assertEqual((AgreementVersion.objects.count(), Signature.objects.count()), counts)
        self.assertEqual(Event.objects.filter(action__startswith="agreement.").count(), events)
