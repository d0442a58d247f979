"""Stored files are encrypted at rest, read back plain, and re-encrypted in place under the
same name, on a local disk (one atomic rename) and in an object store (delete, then save), and
a rewrite stopped halfway loses nothing."""

import tempfile

from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import SimpleTestCase, override_settings

from mentorpact.lib import crypto, stored_files

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
PDF = b"%PDF-1.7\nthe agreement's confidential words\n%%EOF\n"
IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def raw(name: str) -> bytes:
    with default_storage.open(name, "rb") as stored:
        return stored.read()


class LocalDiskTest(SimpleTestCase):
    def setUp(self):
        media = tempfile.TemporaryDirectory()
        self.addCleanup(media.cleanup)
        settings = override_settings(MEDIA_ROOT=media.name, NOTES_ENCRYPTION_KEYS=[OLD])
        settings.enable()
        self.addCleanup(settings.disable)

    def test_a_saved_file_holds_a_token_and_reads_back_plain(self):
        name = stored_files.save("agreements/a/v1.pdf", PDF)

        self.assertEqual(name, "agreements/a/v1.pdf")
        self.assertTrue(raw(name).startswith(b"gAAAAA"))
        self.assertNotIn(b"confidential", raw(name))
        self.assertEqual(stored_files.read(name), PDF)

    def test_a_file_stored_before_encryption_reads_as_it_is_and_a_rewrite_encrypts_it(self):
        name = default_storage.save("agreements/a/v1.pdf", ContentFile(PDF))
        self.assertEqual(stored_files.read(name), PDF)

        self.assertTrue(stored_files.rewrite(name))

        self.assertTrue(raw(name).startswith(b"gAAAAA"))
        self.assertEqual(stored_files.read(name), PDF)
        self.assertFalse(default_storage.exists(name + stored_files.NEXT_SUFFIX))

    def test_a_rewrite_moves_a_file_to_the_current_key_once(self):
        name = stored_files.save("agreements/a/v1.pdf", PDF)
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD]):
            self.assertTrue(stored_files.rewrite(name))
            self.assertFalse(stored_files.rewrite(name))  # already under NEW
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW]):  # the old key can go
            self.assertEqual(stored_files.read(name), PDF)
        with self.assertRaises(crypto.UnreadableText):
            stored_files.read(name)  # OLD alone no longer opens it

    def test_a_rewrite_stopped_after_its_new_copy_loses_nothing(self):
        name = stored_files.save("agreements/a/v1.pdf", PDF)
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD]):
            # What an object store's rewrite leaves when it dies between delete and save.
            token = crypto.rotate(raw(name).decode()).encode()
            default_storage.save(name + stored_files.NEXT_SUFFIX, ContentFile(token))
            default_storage.delete(name)

            self.assertEqual(stored_files.read(name), PDF)
            self.assertTrue(stored_files.rewrite(name))
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW]):
            self.assertEqual(stored_files.read(name), PDF)
            self.assertFalse(default_storage.exists(name + stored_files.NEXT_SUFFIX))

    def test_a_missing_file_is_an_os_error_and_nothing_to_rewrite(self):
        with self.assertRaises(OSError):
            stored_files.read("agreements/none.pdf")
        self.assertFalse(stored_files.rewrite("agreements/none.pdf"))


@override_settings(STORAGES=IN_MEMORY, NOTES_ENCRYPTION_KEYS=[OLD])
class ObjectStoreTest(SimpleTestCase):
    """A storage with no local paths (InMemoryStorage, as S3 through django-storages)."""

    def test_a_rewrite_replaces_the_object_under_the_same_name(self):
        name = stored_files.save("agreements/b/v1.pdf", PDF)
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW, OLD]):
            self.assertTrue(stored_files.rewrite(name))
        with override_settings(NOTES_ENCRYPTION_KEYS=[NEW]):
            self.assertEqual(stored_files.read(name), PDF)
        self.assertFalse(default_storage.exists(name + stored_files.NEXT_SUFFIX))
        stored_files.delete(name)
        self.assertFalse(default_storage.exists(name))
