from cryptography.fernet import Fernet
from django.test import SimpleTestCase, override_settings

from mentorpact.meetings.checks import check_notes_encryption_keys


class NotesEncryptionKeysCheckTest(SimpleTestCase):
    @override_settings(DEBUG=False, NOTES_ENCRYPTION_KEYS=[])
    def test_production_without_keys_is_an_error(self):
        problems = check_notes_encryption_keys(None)

        self.assertEqual([p.id for p in problems], ["meetings.E001"])
        self.assertIn("Fernet.generate_key()", problems[0].hint)

    @override_settings(DEBUG=False, NOTES_ENCRYPTION_KEYS=[Fernet.generate_key().decode()])
    def test_production_with_a_key_passes(self):
        self.assertEqual(check_notes_encryption_keys(None), [])

    @override_settings(DEBUG=True, NOTES_ENCRYPTION_KEYS=[])
    def test_development_without_keys_passes(self):
        # settings.py derives a key from SECRET_KEY when DEBUG is on and none is set.
        self.assertEqual(check_notes_encryption_keys(None), [])

    @override_settings(
        DEBUG=False, NOTES_ENCRYPTION_KEYS=[Fernet.generate_key().decode(), "not-a-key"]
    )
    def test_a_malformed_key_is_an_error_naming_its_position(self):
        problems = check_notes_encryption_keys(None)

        self.assertEqual([p.id for p in problems], ["meetings.E002"])
        self.assertIn("Key 2 of NOTES_ENCRYPTION_KEYS", problems[0].msg)
