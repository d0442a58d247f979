"""The retention period: a finished partnership's records, signed agreements included, are
kept for its program's retention_years after it finished, then purge_expired deletes them and
the integrity check still passes."""

import io
from datetime import timedelta

import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import Agreement, AgreementVersion, InvitedSigner, Signature
from mentorpact.audit.models import Event
from mentorpact.confidentiality import services as confidentiality_services
from mentorpact.confidentiality.models import AgreedDisclosure, DangerDisclosure
from mentorpact.confidentiality.tests.base import agreed, on_the_pilot
from mentorpact.meetings import services as meeting_services
from mentorpact.meetings.models import Meeting, Note
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.privacy import retention
from mentorpact.programs.models import Program
from mentorpact.progress.tests.base import ProgressTestCase, hold_meetings
from mentorpact.support import services as support_services
from mentorpact.support.models import HelpMessage, HelpRequest
from mentorpact.test import make_user


class RetentionTest(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.version = self.sign()
        self.pdf = agreement_services.seal_signed_version(version=self.version)
        self.version.refresh_from_db()
        hold_meetings(self.partnership, 2)
        meeting_services.add_note(
            partnership=self.partnership, user=self.theo, body="Private words", visibility="shared"
        )
        concern = support_services.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind="concern",
            message="Private words to the program",
            partner_may_know=False,
        )
        support_services.add_message(request=concern, user=self.cora, body="A reply")
        on_the_pilot(self)
        agreed(self)
        confidentiality_services.record_danger_disclosure(
            partnership=self.partnership, user=self.mia, disclosed_to="Police", reason="Harm"
        )
        partnership_services.change_status(
            partnership=self.partnership, to_status=Partnership.Status.CONCLUDED, actor=self.cora
        )
        self.partnership.refresh_from_db()
        self.finished = self.partnership.status_changed_at
        self.limit = retention.years_before(self.finished, self.program.retention_years)
        self.limit = self.finished + (self.finished - self.limit)  # retention_years after

    def purge(self, at):
        with time_machine.travel(at, tick=False):
            return retention.purge_expired()

    def test_kept_until_the_retention_period_is_over(self):
        self.assertEqual(self.program.retention_years, 7)
        purged = self.purge(self.limit - timedelta(days=1))

        self.assertEqual(purged.partnerships, 0)
        self.assertTrue(Partnership.objects.filter(pk=self.partnership.pk).exists())
        self.assertTrue(default_storage.exists(self.version.sealed_pdf.name))

    def test_then_every_record_and_the_sealed_pdf_are_deleted_and_integrity_holds(self):
        stored = self.version.sealed_pdf.name
        with self.captureOnCommitCallbacks(execute=True):
            purged = self.purge(self.limit + timedelta(days=1))

        self.assertEqual((purged.partnerships, purged.files), (1, 1))
        self.assertFalse(Partnership.objects.filter(pk=self.partnership.pk).exists())
        for model in (
            Agreement,
            AgreementVersion,
            Signature,
            Meeting,
            Note,
            HelpRequest,
            HelpMessage,
            AgreedDisclosure,
            DangerDisclosure,
        ):
            self.assertFalse(model.objects.exists(), model.__name__)
        self.assertFalse(default_storage.exists(stored))
        event = Event.objects.get(action="privacy.partnership_purged")
        self.assertEqual(event.program_id, self.program.pk)
        self.assertEqual(event.details["purged_partnership"], str(self.partnership.public_id))
        # The trail is whole (its events are kept) and nothing left is inconsistent.
        call_command("verify_integrity", stdout=io.StringIO())
        # The append-only triggers are locked again once the purge is done.
        self.assertEqual(self.purge(self.limit + timedelta(days=2)).partnerships, 0)

    def test_a_program_keeping_records_longer_keeps_them(self):
        Program.objects.filter(pk=self.program.pk).update(retention_years=10)
        self.assertEqual(self.purge(self.limit + timedelta(days=1)).partnerships, 0)

    def test_an_open_partnership_is_never_purged(self):
        Partnership.objects.filter(pk=self.partnership.pk).update(status=Partnership.Status.ACTIVE)
        self.assertEqual(self.purge(self.limit + timedelta(days=3650)).partnerships, 0)

    def test_dry_run_lists_and_deletes_nothing(self):
        out = io.StringIO()
        with time_machine.travel(self.limit + timedelta(days=1), tick=False):
            call_command("purge_expired", "--dry-run", stdout=out)
        self.assertIn(str(self.partnership.public_id), out.getvalue())
        self.assertTrue(Partnership.objects.filter(pk=self.partnership.pk).exists())

    def test_who_the_partners_named_to_sign_is_purged_with_the_partnership(self):
        InvitedSigner.objects.create(
            agreement=self.version.agreement,
            role="guardian",
            name="Gwen Guardian",
            email="gwen@example.org",
            user=make_user("gwen@example.org", "Gwen Guardian"),
            named_by=self.theo,
        )
        with self.captureOnCommitCallbacks(execute=True):
            purged = self.purge(self.limit + timedelta(days=1))

        self.assertEqual(purged.partnerships, 1)
        self.assertFalse(InvitedSigner.objects.exists())
