"""Races between partners, with real threads and real transactions.

run_at_once() releases the calls together through a threading.Barrier. On in-memory SQLite it
skips (threads cannot share it); run these on PostgreSQL (DATABASE_URL) and on SQLite with
SQLITE_TEST_PATH set to a file.
"""

from django.test import TransactionTestCase

from mentorpact.agreements import services
from mentorpact.agreements.models import AgreementAction, AgreementVersion, Signature
from mentorpact.agreements.tests.base import AgreementMixin, RacingPairsMixin, draft_of
from mentorpact.partnerships.models import Partnership
from mentorpact.test import RACE_TRIALS, PersonasMixin, events_of, run_at_once

TRIALS = RACE_TRIALS


class RaceTestCase(RacingPairsMixin, AgreementMixin, PersonasMixin, TransactionTestCase):
    def test_two_signers_at_once_lose_no_signature_and_activate_once(self):
        for n in range(TRIALS):
            mentor, mentee, agreement = self.new_pair(n)
            version = draft_of(agreement)
            results = run_at_once(self.signing(version, mentor), self.signing(version, mentee))
            self.assertEqual(
                [type(r) for r in results], [Signature, Signature], f"trial {n}: {results}"
            )
            version.refresh_from_db()
            self.assertEqual(version.status, AgreementVersion.Status.IN_EFFECT, f"trial {n}")
            self.assertEqual(version.signatures.count(), 2, f"trial {n}")
            self.assertEqual(version.signature_count, 2, f"trial {n}")
            self.assertEqual(
                events_of(agreement).filter(action=AgreementAction.IN_EFFECT).count(),
                1,
                f"trial {n}",
            )
            partnership = Partnership.objects.get(pk=agreement.partnership_id)
            self.assertEqual(partnership.status, Partnership.Status.ACTIVE)
            self.assertEqual(
                events_of(partnership).filter(action="partnership.status_changed").count(),
                1,
                f"trial {n}",
            )

    def test_the_same_signer_twice_at_once_signs_once(self):
        for n in range(TRIALS // 4):
            mentor, _mentee, agreement = self.new_pair(n)
            version = draft_of(agreement)
            results = run_at_once(self.signing(version, mentor), self.signing(version, mentor))
            refused = [r for r in results if isinstance(r, services.SignatureRefused)]
            self.assertEqual(len(refused), 1, f"trial {n}: {results}")
            version.refresh_from_db()
            self.assertEqual(version.signatures.count(), 1)
            self.assertEqual(version.signature_count, 1)
            self.assertEqual(version.status, AgreementVersion.Status.DRAFT)

    def test_an_edit_racing_a_signature_never_leaves_a_signature_on_other_text(self):
        outcomes = set()
        for n in range(TRIALS // 2):
            mentor, mentee, agreement = self.new_pair(n)
            version = draft_of(agreement)

            def edit(agreement=agreement, mentor=mentor, revision=version.revision, n=n):
                return services.save_draft(
                    agreement=agreement,
                    user=mentor,
                    values={"frequency": f"Changed in trial {n}"},
                    based_on_revision=revision,
                )

            signed, saved = run_at_once(self.signing(version, mentee), edit)
            self.assertIsInstance(saved, AgreementVersion, f"trial {n}: {saved}")
            if isinstance(signed, Signature):
                signed.refresh_from_db()
                # The signature came first: the edit became a new version and voided it.
                self.assertIsNotNone(signed.voided_at, f"trial {n}")
                self.assertEqual(saved.number, 2)
                outcomes.add("signed first")
            else:
                self.assertIsInstance(signed, services.SignatureRefused, f"trial {n}: {signed}")
                self.assertEqual(saved.number, 1)
                outcomes.add("edited first")
            for signature in Signature.objects.filter(
                version__agreement=agreement, voided_at__isnull=True
            ).select_related("version"):
                self.assertEqual(signature.content_sha256, signature.version.content_sha256)
            self.assertEqual(
                AgreementVersion.objects.filter(agreement=agreement, status="draft").count(), 1
            )
        print(f"edit/sign race outcomes seen: {sorted(outcomes)}")

    def test_two_saves_from_the_same_revision_apply_exactly_one(self):
        for n in range(TRIALS // 4):
            mentor, mentee, agreement = self.new_pair(n)
            revision = draft_of(agreement).revision

            def save(user, text, agreement=agreement, revision=revision):
                return lambda: services.save_draft(
                    agreement=agreement,
                    user=user,
                    values={"frequency": text},
                    based_on_revision=revision,
                )

            results = run_at_once(save(mentor, "By the mentor"), save(mentee, "By the mentee"))
            stale = [r for r in results if isinstance(r, services.StaleDraft)]
            applied = [r for r in results if isinstance(r, AgreementVersion)]
            self.assertEqual((len(stale), len(applied)), (1, 1), f"trial {n}: {results}")
            draft = draft_of(agreement)
            self.assertEqual(draft.revision, revision + 1)
            self.assertEqual(draft.content["frequency"], applied[0].content["frequency"])
