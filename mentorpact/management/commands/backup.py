"""Back the installation up into a new folder: the database (SQLite's online backup API, or
`pg_dump -Fc` on PostgreSQL), every stored file the database names (sealed PDFs, through the
storage API, so an S3 bucket is backed up too) and a manifest of their SHA-256. The sealing key
and NOTES_ENCRYPTION_KEYS are configuration: back them up separately. `manage.py restore`
puts a backup into a fresh database (README.md, "Backups")."""

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from mentorpact import backups


class Command(BaseCommand):
    help = "Back up the database and the stored files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder that does not exist yet, or an empty one")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty: choose a new folder.")
        # As private as the database and MEDIA_ROOT (FILE_UPLOAD_PERMISSIONS): everything it
        # writes, pg_dump's file included, is for this user only.
        previous = os.umask(0o077)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
            self.write(folder)
        finally:
            os.umask(previous)

    def write(self, folder: Path) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(folder / backups.SQLITE_FILE)
            try:
                connection.connection.backup(target)  # a consistent copy, while in use
            finally:
                target.close()
            database = backups.SQLITE_FILE
        elif connection.vendor == "postgresql":
            database = backups.PG_FILE
            backups.run_pg(
                ["pg_dump", "-Fc", "--no-owner", "--no-privileges", "-f", str(folder / database)]
            )
        else:
            raise CommandError(f"No backup for the {connection.vendor} database.")
        files: dict[str, str] = {}
        # After the database: files are written before the row that names them, never changed.
        for name in backups.stored_file_names():
            with default_storage.open(name, "rb") as stored:
                data = stored.read()
            path = backups.file_path(folder, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            files[name] = hashlib.sha256(data).hexdigest()
        manifest = {
            "format": backups.FORMAT,
            "database": connection.vendor,
            "database_file": database,
            "made_at": timezone.now().isoformat(),
            "files": files,
        }
        (folder / backups.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(f"Backed up the {connection.vendor} database and {len(files)} files")
        self.stdout.write(f"into {folder}.")
