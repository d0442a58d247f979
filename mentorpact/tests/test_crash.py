"""Crash tests: kill -9 the real `db_worker` and `send_reminders --loop` at random moments while
they deliver signed agreements and reminders through a local SMTP sink that refuses a tenth
of the messages, start them again, and count: every due email arrives, and an email that
arrives twice carries the same Message-ID both times (docs/architecture.md, "Durable
delivery"). 26 kills per database (52 a CI run), half of them aimed at a send under way
(the lease's case: with leases that never ran out, 10 of the 28 emails were lost);
`bench/crash.py` runs 1,000.

The processes are forked from one server that imported Django once (crashkit.Launcher), so
a restart costs a fork; they need the committed data of a TransactionTestCase, in the test
database (a file on SQLite: SQLITE_TEST_PATH).
"""

import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import TransactionTestCase, override_settings

from mentorpact.outbox.models import Email
from mentorpact.progress.models import Reminder
from mentorpact.tests import crashkit

pytestmark = pytest.mark.crash

VERSIONS = 4  # signed agreements, 3 emails each; all but one sealed before the kills
REMINDERS = 8  # partnerships, 2 reminders each
KILLS = {"worker": 13, "loop": 13}


def _in_memory_sqlite() -> bool:
    name = str(connection.settings_dict["NAME"])
    return connection.vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name)


class CrashTest(TransactionTestCase):
    def setUp(self) -> None:
        if _in_memory_sqlite():
            self.skipTest(
                "the killed processes need the test database in a file: set SQLITE_TEST_PATH "
                "(CI does) or run on PostgreSQL"
            )
        pytest.importorskip("aiosmtpd", reason="the SMTP sink is aiosmtpd (requirements-dev)")
        media = tempfile.TemporaryDirectory(prefix="mentorpact-crash-")
        self.addCleanup(media.cleanup)
        self.media_root = media.name
        settings = override_settings(
            MEDIA_ROOT=self.media_root, AGREEMENT_SIGNING_KEY="", AGREEMENT_SIGNING_CERT=""
        )
        settings.enable()
        self.addCleanup(settings.disable)

    def test_no_email_is_lost_and_a_duplicate_keeps_its_message_id(self):
        began = time.monotonic()
        due = crashkit.make_signed_versions(VERSIONS, sealed=VERSIONS - 1)
        due += crashkit.make_due_reminders(REMINDERS)
        self.assertEqual(due, 3 * VERSIONS + 2 * REMINDERS)
        with crashkit.Sink(refuse=0.1, delay=0.2, seed=11) as sink:
            env = crashkit.child_environment(
                connection.settings_dict, smtp_port=sink.port, media_root=self.media_root
            )
            log = Path(self.media_root) / "crash.log"
            made = time.monotonic()
            launcher = crashkit.Launcher(env, log=log)
            started = time.monotonic()
            try:
                run = crashkit.kill_loop(
                    launcher,
                    kills=KILLS,
                    lifetime=(0.4, 3.0),
                    seed=7,
                    deadline=time.monotonic() + 90,
                    sink=sink,
                )
                drained = crashkit.drain(launcher, sink, due=due, timeout=90)
            finally:
                launcher.close()
            received = sink.snapshot()
        tally = crashkit.tally(received, due=due)
        phases = (
            f"data {made - began:.1f} s, launcher {started - made:.1f} s, "
            f"kills {run.seconds:.1f} s, drain {drained:.1f} s"
        )
        print(f"crash test: {tally.line()}, kills {run.kills}, {phases}")  # shown with -s
        note = f"{tally.line()}, kills {run.kills}, {phases}, log {log.read_text()[-3000:]}"
        self.assertEqual(run.kills, KILLS, note)
        self.assertEqual((tally.lost, tally.other_message_id), (0, 0), note)
        # What the database says agrees with what arrived: nothing sent is still marked unsent.
        self.assertFalse(Email.objects.filter(sent_at__isnull=True).exists(), note)
        self.assertFalse(Reminder.objects.filter(sent_at__isnull=True).exists(), note)
        outbox_ids = set(Email.objects.values_list("message_id", flat=True))
        reminder_ids = {r.message_id for r in Reminder.objects.all()}
        self.assertEqual({r.message_id for r in received}, outbox_ids | reminder_ids, note)
        self.assertGreater(sink.refused, 0)  # the retries were exercised too
