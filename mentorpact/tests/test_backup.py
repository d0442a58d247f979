"""`manage.py backup`, then `manage.py restore` into a fresh database (another process, as an
operator runs it): every signed agreement's hash and every sealed PDF verify afterwards, and a
damaged backup is refused. On SQLite (the online backup API) or PostgreSQL (pg_dump -Fc), as
the test run's database is."""

import os
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from mentorpact.agreements import sealing, services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import AgreementMixin

BASE_DIR = Path(__file__).resolve().parents[2]


class BackupRestoreTests(AgreementMixin, TransactionTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory(prefix="mentorpact-backup-")
        self.addCleanup(folder.cleanup)
        self.tmp = Path(folder.name)
        self.key, self.cert = self.tmp / "key.pem", self.tmp / "cert.pem"
        sealing.create_credentials(self.key, self.cert)
        settings = override_settings(
            MEDIA_ROOT=str(self.tmp / "media"),
            AGREEMENT_SIGNING_KEY=str(self.key),
            AGREEMENT_SIGNING_CERT=str(self.cert),
        )
        settings.enable()
        self.addCleanup(settings.disable)
        super().setUp()

    def signed_and_sealed(self) -> list[AgreementVersion]:
        """Version 1 signed and superseded by a signed amendment: two sealed PDFs."""
        first = self.sign_by_both()
        services.seal_signed_version(version=first)
        amendment = services.propose_amendment(agreement=self.agreement, user=self.theo)
        self.save(self.mia, {"frequency": "Weekly"})
        self.sign(self.theo, self.draft())
        self.sign(self.mia, self.draft())
        second = AgreementVersion.objects.get(pk=amendment.pk)
        services.seal_signed_version(version=second)
        return list(AgreementVersion.objects.filter(sealed_pdf__gt="").order_by("number"))

    def backup(self) -> Path:
        out = StringIO()
        call_command("backup", str(self.tmp / "backup"), stdout=out)
        self.assertIn("2 files", out.getvalue())
        backup = self.tmp / "backup"
        modes = {p.stat().st_mode & 0o777 for p in backup.rglob("*") if p.is_file()}
        self.assertEqual(modes, {0o600})  # private, like the database and MEDIA_ROOT
        return backup

    def restore(self, backup: Path, name: str) -> subprocess.CompletedProcess:
        """Restore in a new process with a fresh database and an empty MEDIA_ROOT."""
        env = {
            **os.environ,
            "DEBUG": "true",
            "MEDIA_ROOT": str(self.tmp / f"{name}-media"),
            "AGREEMENT_SIGNING_KEY": str(self.key),
            "AGREEMENT_SIGNING_CERT": str(self.cert),
        }
        env.pop("PGDATABASE", None)
        if connection.vendor == "sqlite":
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(self.tmp / f"{name}.sqlite3")
        else:
            env["DATABASE_URL"] = self.fresh_postgres_database(name)
        return subprocess.run(
            [sys.executable, "manage.py", "restore", str(backup)],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def fresh_postgres_database(self, name: str) -> str:
        settings = connection.settings_dict
        database = f"{settings['NAME']}_{name}"[:63]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
            cursor.execute(f'CREATE DATABASE "{database}"')
        self.addCleanup(self.drop_postgres_database, database)
        user = settings.get("USER") or "postgres"
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or "5432"
        return f"postgres://{user}{password}@{host}:{port}/{database}"

    def drop_postgres_database(self, database: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def test_a_backup_restores_with_every_signature_and_seal_intact_and_damage_is_refused(self):
        # One test: signing and sealing twice, and each restore's process, cost seconds.
        versions = self.signed_and_sealed()
        backup = self.backup()

        result = self.restore(backup, "restored")

        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(
            "Verified 2 signed versions (content SHA-256) and 2 sealed PDFs (seal and SHA-256): "
            "all intact.",
            result.stdout,
        )
        for version in versions:
            restored = self.tmp / "restored-media" / version.sealed_pdf.name
            self.assertEqual(restored.read_bytes(), version.sealed_pdf.read())

        # The same backup with one byte of a sealed PDF flipped: refused before any write.
        copy = backup / "files" / versions[0].sealed_pdf.name
        data = bytearray(copy.read_bytes())
        data[len(data) // 2] ^= 1
        copy.write_bytes(bytes(data))

        damaged = self.restore(backup, "damaged")

        self.assertNotEqual(damaged.returncode, 0)
        self.assertIn(
            f"The backup's copy of {versions[0].sealed_pdf.name} is damaged", damaged.stderr
        )
