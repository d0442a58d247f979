"""The shared test base with named personas (model: healthchecks hc/test.py).

Cora coordinates the Peer Mentoring program; Mia mentors Theo in it; Olive is an outsider
who may see nothing. Tests read as stories about these people.
"""

import os
import threading
import unittest
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.test import TestCase, TransactionTestCase

from mentorpact.accounts.models import User
from mentorpact.audit import selectors as audit_selectors
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program

PASSWORD = "mentorpact-test"


def events_of(obj, area: str | None = None):
    """The audit events recorded about `obj`, oldest first; `area` ("partnership",
    "progress") keeps one app's (a partnership's own and its progress events share it)."""
    events = audit_selectors.history_of(obj)
    return events.filter(action__startswith=f"{area}.") if area else events


def kinds(events) -> list[str]:
    """The kinds ("signed", not "agreement.signed") of these events, in their order."""
    return [event.kind for event in events]


def make_user(email: str, full_name: str) -> User:
    return User.objects.create_user(email, PASSWORD, full_name=full_name)


if TYPE_CHECKING:
    # What every class mixing the personas in is (TestCase is a TransactionTestCase), so
    # mypy sees `self.client` and `super().setUp()`; at run time it is a plain mixin.
    _TestCaseBase = TransactionTestCase
else:
    _TestCaseBase = object


class PersonasMixin(_TestCaseBase):
    # When Cora paired Mia and Theo (default: now). The audit trail is append-only, so a test
    # that needs the pairing in the past says so here rather than backdating its event.
    paired_at: datetime | None = None

    def setUp(self) -> None:
        super().setUp()
        self.cora = make_user("cora@example.org", "Cora Coordinator")
        self.mia = make_user("mia@example.org", "Mia Mentor")
        self.theo = make_user("theo@example.org", "Theo Mentee")
        self.olive = make_user("olive@example.org", "Olive Outsider")

        self.program = Program.objects.create(
            name="Peer Mentoring",
            sponsor="Research Office",
            contact_email="office@example.org",
            return_address="office@example.org",
            kickoff_date=date(2027, 1, 15),
            agreement_due_date=date(2027, 2, 23),
        )
        for user, role in [
            (self.cora, Enrolment.Role.COORDINATOR),
            (self.mia, Enrolment.Role.MENTOR),
            (self.theo, Enrolment.Role.MENTEE),
        ]:
            Enrolment.objects.create(program=self.program, user=user, role=role)
        self.partnership = partnership_services.create_partnership(
            program=self.program,
            mentor=self.mia,
            mentee=self.theo,
            actor=self.cora,
            now=self.paired_at,
        )

    def sign_in(self, user: User) -> None:
        self.client.force_login(user)

    def add_mentees(self, count: int) -> list[Partnership]:
        """Give Mia `count` more mentees in the program, each in a new partnership."""
        partnerships = []
        done = User.objects.filter(email__startswith="mentee").count()
        for n in range(done + 1, done + count + 1):
            mentee = make_user(f"mentee{n}@example.org", f"Mentee Number{n}")
            Enrolment.objects.create(program=self.program, user=mentee, role=Enrolment.Role.MENTEE)
            partnerships.append(
                partnership_services.create_partnership(
                    program=self.program, mentor=self.mia, mentee=mentee
                )
            )
        return partnerships


class BaseTestCase(PersonasMixin, TestCase):
    pass


# How many races each race test runs: a CI-sized sample by default; the soak in
# bench/races.py sets RACE_TRIALS in the thousands.
RACE_TRIALS = int(os.environ.get("RACE_TRIALS", "60"))


def run_at_once(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread, all released together; return what each returned or
    raised, in order. For race tests in a TransactionTestCase: each thread gets its own
    database connection, closed when it ends so the test database can be dropped.

    Skips the test on in-memory SQLite (the default test database): there every thread's
    connection shares one cache whose table locks fail at once ("database table is locked")
    instead of waiting as a real database file does. Race tests run on PostgreSQL, or on
    SQLite with SQLITE_TEST_PATH set to a file.
    """
    database = connections[DEFAULT_DB_ALIAS]
    if isinstance(database, SQLiteDatabaseWrapper) and database.is_in_memory_db():
        raise unittest.SkipTest("threads cannot share an in-memory SQLite database")
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


class triggers_off(transaction.Atomic):
    """Inside a savepoint rolled back at the end: the database's triggers off (PostgreSQL:
    replica mode, which fires no trigger; SQLite: dropped), as someone with the database's own
    access could."""

    def __init__(self):
        super().__init__(using=None, savepoint=True, durable=False)

    def __enter__(self):
        super().__enter__()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                for (name,) in cursor.fetchall():
                    cursor.execute(f'DROP TRIGGER "{name}"')

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        return super().__exit__(*exc)
