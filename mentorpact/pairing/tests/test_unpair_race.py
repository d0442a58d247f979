"""A coordinator undoes a pairing while a partner signs its agreement: exactly one wins, and
a pairing that is undone never carries a signature. Threads need a real database:
PostgreSQL, or SQLite with SQLITE_TEST_PATH (run_at_once skips on in-memory SQLite; on SQLite,
one writing transaction at a time, they cannot interleave, but one must still win cleanly).

Each test holds one side at its most dangerous point with a short sleep, so the interleaving
is the same every run instead of once in many trials."""

import time
from unittest import mock

from django.db import connection
from django.test import TransactionTestCase

from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import Signature
from mentorpact.agreements.tests.base import AgreementMixin, RacingPairsMixin
from mentorpact.pairing import services
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.test import PersonasMixin, run_at_once

HOLD = 0.5  # seconds one side waits at its point


def slowly(function, *, before: bool):
    """`function`, HOLD seconds later (before) or holding on HOLD seconds after it."""

    def wrapper(*args, **kwargs):
        if before:
            time.sleep(HOLD)
        result = function(*args, **kwargs)
        if not before:
            time.sleep(HOLD)
        return result

    return wrapper


class UnpairSignRaceTestCase(RacingPairsMixin, AgreementMixin, PersonasMixin, TransactionTestCase):
    def race(self, *, first: str):
        """Sign as the mentor and undo the pairing at once, `first` ("sign" or "unpair")
        a moment ahead, so it takes its locks first."""
        mentor, _mentee, agreement = self.new_pair(1)
        partnership = Partnership.objects.get(pk=agreement.partnership_id)
        version = agreement.versions.get()
        sign = self.signing(version, mentor)

        def unpair():
            return services.unpair(
                partnership=Partnership.objects.get(pk=partnership.pk), actor=self.cora
            )

        def later(call):
            def delayed():
                time.sleep(HOLD / 5)
                return call()

            return delayed

        if first == "sign":
            results = run_at_once(sign, later(unpair))
        else:
            results = run_at_once(later(sign), unpair)
        partnership.refresh_from_db()
        return results, partnership, version

    def assert_one_wins(self, results, partnership, version, *, winner):
        """Exactly one of the two succeeded, and the database agrees with it. `winner` is
        the one PostgreSQL's row locks let through; SQLite runs one writing transaction at a
        time (BEGIN IMMEDIATE), so there whoever began first wins, whichever that is."""
        signed, undone = results
        if connection.vendor == "postgresql":
            expected = (undone, Partnership) if winner == "unpair" else (signed, Signature)
            self.assertIsInstance(*expected, results)
        if isinstance(undone, Partnership):
            self.assertIsInstance(signed, agreement_services.AgreementError, results)
            self.assertIn("pairing was undone", str(signed))
            self.assertEqual(partnership.status, Partnership.Status.UNPAIRED)
            self.assertFalse(Signature.objects.filter(version=version).exists())
        else:
            self.assertIsInstance(signed, Signature, results)
            self.assertIsInstance(undone, services.PairingError, results)
            self.assertIn("Someone has signed", str(undone))
            self.assertEqual(partnership.status, Partnership.Status.DRAFTING)
            self.assertEqual(Signature.objects.filter(version=version).count(), 1)

    def test_undone_while_the_signer_checks_the_draft_the_signature_is_refused(self):
        # The signer read the partnership open, then checks the draft for HOLD seconds while
        # the coordinator undoes the pairing and commits.
        with mock.patch.object(
            agreement_services, "incomplete", slowly(agreement_services.incomplete, before=True)
        ):
            results, partnership, version = self.race(first="sign")
        self.assert_one_wins(results, partnership, version, winner="unpair")

    def test_a_signer_waiting_on_an_undo_in_progress_is_refused(self):
        # The coordinator's undo holds the partnership's row for HOLD seconds after changing
        # its status; the signer arrives meanwhile.
        with mock.patch.object(
            partnership_services,
            "change_status",
            slowly(partnership_services.change_status, before=False),
        ):
            results, partnership, version = self.race(first="unpair")
        self.assert_one_wins(results, partnership, version, winner="unpair")

    def test_an_undo_arriving_while_a_signature_is_saved_is_refused(self):
        # The signer has signed but not committed for HOLD seconds when the undo arrives: the
        # undo must wait and then see the signature.
        with mock.patch.object(
            agreement_services, "_event", slowly(agreement_services._event, before=False)
        ):
            results, partnership, version = self.race(first="sign")
        self.assert_one_wins(results, partnership, version, winner="sign")
