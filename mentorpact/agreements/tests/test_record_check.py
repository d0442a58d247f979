"""signed_record_problems (run by `manage.py restore`): silent on a sound record, and names
the version whose sealed PDF is missing or changed in storage."""

from pathlib import Path

from django.conf import settings

from mentorpact.agreements import selectors, services
from mentorpact.agreements.tests.base import AgreementTestCase
from mentorpact.lib import crypto


class SignedRecordCheckTestCase(AgreementTestCase):
    def setUp(self):
        super().setUp()
        self.version = self.sign_by_both()
        services.seal_signed_version(version=self.version)
        self.stored = Path(settings.MEDIA_ROOT) / self.version.sealed_pdf.name
        self.name = f"agreement {self.agreement.public_id} version 1"

    def test_silent_on_a_sound_record_and_names_a_changed_or_missing_pdf(self):
        # One test (each signing and sealing costs seconds): sound, then changed, then gone.
        checked = selectors.signed_record_problems()
        self.assertEqual((checked.signed_versions, checked.sealed_pdfs), (1, 1))
        self.assertEqual(checked.problems, [])

        # Stored encrypted (lib.stored_files): a changed byte of the token fails to decrypt,
        # a well-made token of other bytes decrypts and fails the recorded SHA-256.
        token = self.stored.read_bytes()
        data = bytearray(token)
        data[-20] ^= 1
        self.stored.write_bytes(bytes(data))
        self.assertEqual(
            selectors.signed_record_problems().problems,
            [
                f"{self.name}: its sealed PDF {self.version.sealed_pdf.name} cannot be "
                "decrypted: it was changed, or the key that encrypted it is not in "
                "NOTES_ENCRYPTION_KEYS"
            ],
        )
        pdf = bytearray(crypto.decrypt_bytes(token))
        pdf[-20] ^= 1
        self.stored.write_bytes(crypto.encrypt_bytes(bytes(pdf)))
        self.assertEqual(
            selectors.signed_record_problems().problems,
            [f"{self.name}: its sealed PDF differs from the one recorded"],
        )

        self.stored.unlink()
        self.assertEqual(
            selectors.signed_record_problems().problems,
            [f"{self.name}: its sealed PDF {self.version.sealed_pdf.name} is missing"],
        )
