import tempfile
import uuid
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from mentorpact.agreements import pdf, selectors, services
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.agreements.tests.test_sealing import flip_byte
from mentorpact.partnerships.models import Partnership


class VerifyAgreementTestCase(AgreementTestCase):
    def setUp(self):
        super().setUp()
        self.version = self.sign_by_both()
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)

    def write(self, data: bytes) -> str:
        path = Path(self.folder.name) / "agreement.pdf"
        path.write_bytes(data)
        return str(path)

    def verify(self, path: str) -> str:
        out = StringIO()
        call_command("verify_agreement", path, stdout=out)
        return out.getvalue()

    def assertNotIntact(self, path: str, reason: str) -> None:
        with self.assertRaises(CommandError) as caught:
            self.verify(path)
        self.assertEqual(caught.exception.returncode, 1)  # the process exits 1
        self.assertIn(reason, str(caught.exception))

    def test_an_untouched_signed_pdf_is_intact(self):
        output = self.verify(self.write(services.seal_signed_version(version=self.version)))
        self.assertTrue(output.startswith("intact"))
        self.assertIn(str(self.partnership.public_id), output)
        self.assertIn(str(self.agreement.public_id), output)
        self.assertIn(self.version.content_sha256, output)
        self.assertIn("Mia Mentor (mentor) and Theo Mentee (mentee)", output)

    def test_one_changed_byte_is_not_intact(self):
        sealed = services.seal_signed_version(version=self.version)
        self.assertNotIntact(self.write(flip_byte(sealed, len(sealed) // 2)), "not intact")

    def test_any_single_changed_byte_is_not_intact(self):
        sealed = services.seal_signed_version(version=self.version)
        # 60 positions spread over the whole file (header, pages, fonts, the seal's
        # dictionary and /Contents, the cross-reference table, the trailer): each check is a
        # full verification, a third of a second, so a denser sweep belongs in a soak.
        step = len(sealed) // 60
        survivors = [
            position
            for position in range(0, len(sealed), step)
            if selectors.check_pdf(flip_byte(sealed, position)).intact
        ]
        self.assertEqual(survivors, [])

    def test_a_sealed_pdf_this_database_does_not_know_is_intact_with_a_note(self):
        sealed = services.seal_signed_version(version=self.version)
        Partnership.objects.filter(pk=self.partnership.pk).update(public_id=uuid.uuid4())
        output = self.verify(self.write(sealed))
        self.assertIn("intact", output)
        self.assertIn("no record", output)

    def test_an_unsigned_pdf_is_not_intact(self):
        self.assertNotIntact(self.write(pdf.render_pdf(self.version)), "no seal")

    def test_a_pdf_from_another_installation_is_not_intact(self):
        from django.test import override_settings

        from mentorpact.agreements import sealing

        with tempfile.TemporaryDirectory() as elsewhere, override_settings(MEDIA_ROOT=elsewhere):
            foreign = sealing.seal_pdf(
                pdf.render_pdf(self.version), services.identity_of(self.version)
            )
        self.assertNotIntact(self.write(foreign), "another key")

    def test_a_missing_file_is_reported(self):
        self.assertNotIntact(str(Path(self.folder.name) / "nothing.pdf"), "cannot read")
