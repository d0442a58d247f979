import tempfile
import uuid
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from mentorpact.agreements import sealing
from mentorpact.agreements.tests.base import AgreementTestCase, pdf_pages_text
from mentorpact.audit.models import Event


class ExportAgreementTestCase(AgreementTestCase):
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.out = Path(folder.name) / "out.pdf"

    def export(self, code=None, *options: str) -> str:
        output = StringIO()
        call_command(
            "export_agreement",
            str(code or self.partnership.public_id),
            "--out",
            str(self.out),
            *options,
            stdout=output,
        )
        return output.getvalue()

    def test_it_writes_the_latest_draft_marked_draft(self):
        self.complete()
        self.assertIn("draft, not signed", self.export())
        pages = pdf_pages_text(self.out.read_bytes())
        self.assertTrue(all("DRAFT" in page for page in pages))
        self.assertFalse(sealing.verify_pdf(self.out.read_bytes()).intact)

    def test_it_writes_the_version_in_effect_sealed_and_verifiable(self):
        version = self.sign_by_both()
        self.assertIn("signed and sealed", self.export())
        result = sealing.verify_pdf(self.out.read_bytes())
        self.assertTrue(result.intact, result.reason)
        self.assertEqual(result.identity.version, version.number)
        event = Event.objects.get(action="agreement.pdf_downloaded")
        self.assertEqual(event.details["via"], "export_agreement")

    def test_while_an_amendment_is_drafted_it_writes_the_version_in_effect(self):
        version = self.sign_by_both()
        from mentorpact.agreements import services

        services.propose_amendment(agreement=self.agreement, user=self.theo)
        self.export()
        self.assertEqual(sealing.verify_pdf(self.out.read_bytes()).identity.version, version.number)

    def test_an_unknown_partnership_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "No partnership"):
            self.export(uuid.uuid4())

    def test_a_malformed_code_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "not a partnership code"):
            self.export("12; DROP TABLE")
        self.assertFalse(self.out.exists())


class ExportAfterContinuationTest(ExportAgreementTestCase):
    def test_while_a_continuation_is_drafted_it_writes_the_agreement_in_effect(self):
        self.sign_by_both()
        from mentorpact.agreements import services

        services.start_continuation(partnership=self.partnership, actor=self.theo)
        self.assertIn("agreement 1, version 1, signed and sealed", self.export())
        self.assertTrue(sealing.verify_pdf(self.out.read_bytes()).intact)

    def test_agreement_and_version_name_any_version(self):
        self.sign_by_both()
        from mentorpact.agreements import services

        services.start_continuation(partnership=self.partnership, actor=self.theo)
        output = self.export(None, "--agreement", "2", "--version-number", "1")
        self.assertIn("agreement 2, version 1, draft", output)
        with self.assertRaisesMessage(CommandError, "no such agreement version"):
            self.export(None, "--agreement", "3")
