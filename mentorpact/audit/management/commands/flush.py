"""Django's flush, able to empty the append-only tables.

The audit trail and the signed records refuse DELETE (audit/migrations/0003, agreements/
migrations/0004) unless audit_unlock has a row. SQLite's flush empties tables with DELETE, so
flush (and every TransactionTestCase, which flushes after each test) puts one there for its
own run; PostgreSQL's flush is a TRUNCATE, which fires no row trigger. Emptying the whole
database is the one deletion these tables allow.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

UNLOCK = "audit_unlock"


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if UNLOCK not in connection.introspection.table_names():
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_unlock (reason) VALUES ('flush')")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_unlock WHERE reason = 'flush'")
