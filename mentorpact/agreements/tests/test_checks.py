"""Production seals with the key and certificate it is given, never with one made on first use
(check agreements.E001), and `manage.py create_sealing_key` makes them."""

import tempfile
from io import StringIO
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, override_settings

from mentorpact.agreements import sealing
from mentorpact.agreements.checks import check_sealing_credentials

PRODUCTION = {"SEALING_KEY_ON_FIRST_USE": False}


def ids(problems) -> list[str]:
    return [problem.id for problem in problems]


class SealingCredentialsCheckTestCase(SimpleTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory(prefix="mentorpact-seal-")
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.key, self.cert = self.folder / "key.pem", self.folder / "cert.pem"

    def made(self) -> dict[str, str]:
        stdout = StringIO()
        call_command("create_sealing_key", str(self.key), str(self.cert), stdout=stdout)
        self.assertIn("AGREEMENT_SIGNING_KEY=", stdout.getvalue())
        return {"AGREEMENT_SIGNING_KEY": str(self.key), "AGREEMENT_SIGNING_CERT": str(self.cert)}

    @override_settings(**PRODUCTION, AGREEMENT_SIGNING_KEY="", AGREEMENT_SIGNING_CERT="")
    def test_production_without_a_configured_key_is_refused(self):
        self.assertEqual(ids(check_sealing_credentials(None)), ["agreements.E001"])
        with (
            override_settings(MEDIA_ROOT=str(self.folder)),
            self.assertRaisesMessage(ImproperlyConfigured, "must be set when DEBUG is off"),
        ):
            sealing.load_credentials()
        self.assertFalse((self.folder / "sealing").exists())  # no key was made

    @override_settings(AGREEMENT_SIGNING_KEY="", AGREEMENT_SIGNING_CERT="")
    def test_development_makes_one_on_first_use(self):
        with override_settings(SEALING_KEY_ON_FIRST_USE=True):
            self.assertEqual(check_sealing_credentials(None), [])

    def test_production_with_the_files_it_was_given_passes(self):
        with override_settings(**PRODUCTION, **self.made()):
            self.assertEqual(check_sealing_credentials(None), [])
            self.assertEqual(sealing.load_credentials(), (self.key, self.cert))

    def test_one_without_the_other_is_refused(self):
        with override_settings(AGREEMENT_SIGNING_KEY=str(self.key), AGREEMENT_SIGNING_CERT=""):
            self.assertEqual(ids(check_sealing_credentials(None)), ["agreements.E002"])

    def test_a_missing_or_unreadable_file_is_refused(self):
        settings = self.made()
        self.cert.write_text("not a certificate")
        with override_settings(**settings):
            self.assertEqual(ids(check_sealing_credentials(None)), ["agreements.E003"])
        self.key.unlink()
        with override_settings(**settings):
            self.assertEqual(
                ids(check_sealing_credentials(None)), ["agreements.E003", "agreements.E003"]
            )

    def test_the_command_never_overwrites_a_key(self):
        self.made()
        before = self.key.read_bytes()
        self.cert.unlink()
        with self.assertRaisesMessage(CommandError, "exists already"):
            call_command("create_sealing_key", str(self.key), str(self.cert))
        self.assertEqual(self.key.read_bytes(), before)
