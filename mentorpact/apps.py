import os
from typing import Any

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.backends.signals import connection_created


class MentorpactAdminConfig(AdminConfig):
    """Django's admin with our site as `admin.site` (Django's "overriding the default admin
    site"), so every `admin.register` lands on it."""

    default_site = "mentorpact.admin_site.MentorpactAdminSite"


class MentorpactConfig(AppConfig):
    """The project package as an app: its system checks and project-wide commands."""

    name = "mentorpact"
    verbose_name = "Mentorpact"

    def ready(self) -> None:
        from mentorpact import checks  # noqa: F401  (registers the system checks)

        connection_created.connect(private_sqlite_files, dispatch_uid="private_sqlite_files")


def private_sqlite_files(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A SQLite database file (and its WAL and shared-memory files) readable and writable by
    this installation's user only (0600), whatever the umask made of it: it holds the
    confidential texts' tokens, the sessions and the audit trail. SQLite gives the WAL and
    shared-memory files it creates later the database file's mode."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        return
    for path in (name, f"{name}-wal", f"{name}-shm"):
        try:
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, 0o600)
        except FileNotFoundError:
            continue
