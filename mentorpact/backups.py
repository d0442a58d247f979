"""What `manage.py backup` and `manage.py restore` share: the layout of a backup folder, the
stored files the database names, and running PostgreSQL's tools on the configured database."""

import os
import subprocess
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.management.base import CommandError
from django.db import connection, models

from mentorpact.outbox.models import Email

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FILES = "files"


def stored_file_names() -> list[str]:
    """Every stored file the database names (a FileField of any model: the sealed PDFs; the
    outbox's attachments; the dashboard's signed-agreements ZIPs): the files a backup must
    carry and key rotation re-encrypts."""
    names: set[str] = set()
    for model in apps.get_models():
        # A FileField, or a text column a model names in STORED_FILES (the ZIP's file_name).
        columns = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for column in [*columns, *getattr(model, "STORED_FILES", ())]:
            query = model._default_manager.exclude(**{column: ""})
            names.update(query.values_list(column, flat=True))
    for attachments in Email.objects.exclude(attachments=[]).values_list("attachments", flat=True):
        names.update(item["path"] for item in attachments)
    return sorted(names)


def file_path(folder: Path, name: str) -> Path:
    """Where a stored file's copy lives in the backup; a name that climbs out is refused."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise CommandError(f"Refusing the stored file name {name!r}.")
    return folder / FILES / Path(*parts)


def run_pg(command: list[str]) -> None:
    """Run pg_dump or pg_restore against the configured database (libpq's variables)."""
    settings = connection.settings_dict
    env = {
        **os.environ,
        "PGDATABASE": settings["NAME"],
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
    }
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    env = {name: value for name, value in env.items() if value}
    try:
        # The command is ours (pg_dump or pg_restore and paths), never user input.
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise CommandError(f"{command[0]} is not installed (PostgreSQL's client tools).") from None
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")
