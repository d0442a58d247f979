"""Files go through Django's storage API only, so a deployment may keep them in an
S3-compatible store: with a storage that holds files in a dict (no path, nothing on disk),
signing, downloading, the record ZIP and verifying all work, and MEDIA_ROOT stays empty."""

import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.test import override_settings
from django.urls import reverse

from mentorpact.agreements import selectors
from mentorpact.agreements.tests.base import AgreementViewTestCase
from mentorpact.lib import stored_files

FILES: dict[str, bytes] = {}


class DictStorage(Storage):
    """Only the storage API: no `path()` (Storage's raises NotImplementedError), as S3."""

    def _open(self, name, mode="rb"):
        return ContentFile(FILES[name], name=name)

    def _save(self, name, content):
        FILES[name] = b"".join(content.chunks())
        return name

    def exists(self, name):
        return name in FILES

    def delete(self, name):
        FILES.pop(name, None)

    def size(self, name):
        return len(FILES[name])

    def url(self, name):
        return f"https://bucket.example/{name}"


class StorageApiTestCase(AgreementViewTestCase):
    def setUp(self):
        super().setUp()
        FILES.clear()
        media = tempfile.TemporaryDirectory(prefix="mentorpact-storage-")
        self.addCleanup(media.cleanup)
        self.media = Path(media.name)
        # A new, empty MEDIA_ROOT: the key made on first use goes to its sealing/ (with DEBUG
        # on; configuration, not a stored file), and nothing else may appear there.
        settings = override_settings(
            MEDIA_ROOT=str(self.media),
            STORAGES={
                "default": {"BACKEND": f"{__name__}.DictStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            },
        )
        settings.enable()
        self.addCleanup(settings.disable)

    def test_signed_pdfs_live_only_in_the_configured_storage(self):
        self.assertEqual(default_storage.url("x"), "https://bucket.example/x")
        version = self.sign_by_both()
        self.sign_in(self.theo)

        downloaded = self.client.get(self.url("pdf", 1, 1))
        self.assertEqual(downloaded.status_code, 200)
        version.refresh_from_db()
        self.assertEqual(list(FILES), [version.sealed_pdf.name])
        # Stored encrypted (lib.stored_files); the download is the plain sealed PDF.
        self.assertTrue(FILES[version.sealed_pdf.name].startswith(b"gAAAAA"))
        self.assertEqual(stored_files.read(version.sealed_pdf.name), downloaded.content)
        self.assertTrue(selectors.check_pdf(downloaded.content).verification.intact)

        record = self.client.get(reverse("progress:record", args=[self.partnership.public_id]))
        archive = zipfile.ZipFile(BytesIO(record.content))
        self.assertEqual(archive.read("agreements/agreement-1-version-1.pdf"), downloaded.content)
        on_disk = [p for p in self.media.rglob("*") if p.is_file() and "sealing" not in p.parts]
        self.assertEqual(on_disk, [])
