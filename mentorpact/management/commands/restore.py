"""Restore a folder made by `manage.py backup` into a fresh, empty database (the configured
one), put its files back into the configured storage, then check every signed agreement: its
content against its SHA-256 and its sealed PDF's seal (the sealing key must be configured as
before). Exits non-zero on any damage."""

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mentorpact import backups
from mentorpact.agreements import selectors as agreement_selectors


class Command(BaseCommand):
    help = "Restore a backup into a fresh database and verify every signed agreement."
    # The database is empty until the restore: nothing to check before it.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder made by manage.py backup")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            manifest = json.loads((folder / backups.MANIFEST).read_text())
        except (OSError, ValueError) as error:
            raise CommandError(f"{folder} holds no readable {backups.MANIFEST}: {error}") from None
        if manifest.get("format") != backups.FORMAT:
            raise CommandError(f"Unknown backup format {manifest.get('format')!r}.")
        if manifest["database"] != connection.vendor:
            raise CommandError(
                f"This is a {manifest['database']} backup; the configured database is "
                f"{connection.vendor}."
            )
        if connection.introspection.table_names():
            raise CommandError(
                "The configured database is not empty: restore into a fresh one "
                "(README.md, Backups)."
            )
        files = self.read_files(folder, manifest["files"])
        database = folder / manifest["database_file"]
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            backups.run_pg(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "-d",
                    connection.settings_dict["NAME"],
                    str(database),
                ]  # fmt: skip
            )
        for name, data in files.items():
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as stored:
                    if stored.read() == data:
                        continue
                raise CommandError(f"The storage holds another file named {name}.")
            if default_storage.save(name, ContentFile(data)) != name:
                raise CommandError(f"The storage would not keep the name {name}.")
        self.stdout.write(f"Restored the database and {len(files)} files from {folder}.")
        checked = agreement_selectors.signed_record_problems()
        for problem in checked.problems:
            self.stderr.write(problem)
        if checked.problems:
            raise CommandError(f"{len(checked.problems)} problems in the signed agreements.")
        self.stdout.write(
            f"Verified {checked.signed_versions} signed versions (content SHA-256) and "
            f"{checked.sealed_pdfs} sealed PDFs (seal and SHA-256): all intact."
        )

    def read_files(self, folder: Path, recorded: dict[str, str]) -> dict[str, bytes]:
        """Every file the manifest lists, checked against its SHA-256 before anything is
        written."""
        files = {}
        for name, sha256 in recorded.items():
            try:
                data = backups.file_path(folder, name).read_bytes()
            except OSError:
                raise CommandError(f"The backup lacks the file {name}.") from None
            if hashlib.sha256(data).hexdigest() != sha256:
                raise CommandError(f"The backup's copy of {name} is damaged.")
            files[name] = data
        return files
