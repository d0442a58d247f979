from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase

from mentorpact.accounts.models import User

PASSWORD = "a long first-install passphrase"


class CreateSuperuserTestCase(TestCase):
    def test_noinput_takes_the_name_from_the_option(self):
        with mock.patch.dict("os.environ", {"DJANGO_SUPERUSER_PASSWORD": PASSWORD}):
            call_command(
                "createsuperuser",
                "--noinput",
                "--email=ada@example.org",
                "--full-name=Ada Admin",
                stdout=StringIO(),
            )
        ada = User.objects.get(email="ada@example.org")
        self.assertEqual(ada.full_name, "Ada Admin")
        self.assertTrue(ada.is_superuser and ada.check_password(PASSWORD))

    def test_noinput_takes_the_name_from_the_environment(self):
        environ = {"DJANGO_SUPERUSER_PASSWORD": PASSWORD, "DJANGO_SUPERUSER_FULL_NAME": "Ada Env"}
        with mock.patch.dict("os.environ", environ):
            call_command(
                "createsuperuser", "--noinput", "--email=ada@example.org", stdout=StringIO()
            )
        self.assertEqual(User.objects.get(email="ada@example.org").full_name, "Ada Env")

    def test_noinput_without_a_name_says_how_to_give_one(self):
        with (
            mock.patch.dict("os.environ", {"DJANGO_SUPERUSER_PASSWORD": PASSWORD}),
            self.assertRaisesMessage(CommandError, "DJANGO_SUPERUSER_FULL_NAME"),
        ):
            call_command(
                "createsuperuser", "--noinput", "--email=ada@example.org", stdout=StringIO()
            )
        self.assertFalse(User.objects.exists())

    def test_it_asks_for_the_name_interactively(self):
        answers = iter(["ada@example.org", "Ada Asked"])
        stdin = mock.Mock(isatty=lambda: True)
        with (
            mock.patch("builtins.input", lambda prompt: next(answers)),
            mock.patch(
                "django.contrib.auth.management.commands.createsuperuser.getpass.getpass",
                lambda prompt="Password: ": PASSWORD,
            ),
        ):
            call_command("createsuperuser", interactive=True, stdout=StringIO(), stdin=stdin)
        self.assertEqual(User.objects.get(email="ada@example.org").full_name, "Ada Asked")
