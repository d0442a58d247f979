"""The SQLite database file and media files are readable by this installation's user only."""

import os
import stat
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import SimpleTestCase, TestCase, override_settings


def mode(path: str | Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


class SqliteFileModeTest(TestCase):  # TestCase: pytest-django lets it open connections
    def test_a_new_database_file_and_its_wal_are_0600_whatever_the_umask(self):
        with tempfile.TemporaryDirectory() as folder:
            name = os.path.join(folder, "db.sqlite3")
            previous = os.umask(0o022)  # what made the file 0644 before
            try:
                settings_dict = {**connection.settings_dict, "NAME": name}
                if connection.vendor != "sqlite":
                    settings_dict.update(ENGINE="django.db.backends.sqlite3", OPTIONS={})
                settings_dict["OPTIONS"] = {
                    "init_command": "PRAGMA journal_mode=WAL;",
                    "transaction_mode": "IMMEDIATE",
                }
                wrapper = DatabaseWrapper(settings_dict, alias="permissions_probe")
                with wrapper.cursor() as cursor:
                    cursor.execute("CREATE TABLE probe (words text)")
                    cursor.execute("INSERT INTO probe VALUES ('x')")
                    self.assertEqual(mode(name), 0o600)
                    self.assertEqual(mode(f"{name}-wal"), 0o600)
                wrapper.close()
            finally:
                os.umask(previous)

    def test_an_existing_world_readable_file_is_made_private_when_opened(self):
        with tempfile.TemporaryDirectory() as folder:
            name = os.path.join(folder, "old.sqlite3")
            Path(name).touch(mode=0o644)
            os.chmod(name, 0o644)
            wrapper = DatabaseWrapper(
                {
                    **connection.settings_dict,
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": name,
                    "OPTIONS": {},
                },
                alias="permissions_probe",
            )
            wrapper.ensure_connection()
            wrapper.close()

            self.assertEqual(mode(name), 0o600)


class TestDatabaseFileModeTest(TestCase):
    def test_the_database_in_use_is_private_when_it_is_a_file(self):
        name = str(connection.settings_dict["NAME"])
        if connection.vendor != "sqlite" or not os.path.exists(name):
            self.skipTest("not a SQLite file database (SQLITE_TEST_PATH unset or PostgreSQL)")
        self.assertEqual(mode(name), 0o600)


class MediaFileModeTest(SimpleTestCase):
    def test_stored_media_files_are_0600_in_0700_folders(self):
        with tempfile.TemporaryDirectory() as root, override_settings(MEDIA_ROOT=root):
            previous = os.umask(0o022)
            try:
                name = FileSystemStorage().save("agreements/sealed.pdf", ContentFile(b"%PDF-"))
            finally:
                os.umask(previous)

            self.assertEqual(mode(Path(root) / name), 0o600)
            self.assertEqual(mode(Path(root) / "agreements"), 0o700)
