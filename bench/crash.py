"""Kill -9 the background processes 1,000 times and count every email.

    .venv/bin/python bench/crash.py --scenario worker      # db_worker delivering agreements
    .venv/bin/python bench/crash.py --scenario reminders   # send_reminders --loop

A fresh SQLite database in a temporary directory (migrated here), a local SMTP sink that
refuses a tenth of the messages and takes 0.2 s over each (--delay: a kill then often falls
while a worker holds an email), and the fork server of mentorpact/tests/crashkit.py. Work
comes in rounds: each round signs agreements (their delivery tasks queued; most PDFs sealed
beforehand, the rest sealed by the worker under the kills) or plans reminders, kills the
process under test at random moments (the other one runs unharmed: the reminders loop also
queues stalled tasks again and sends the outbox's retries), then lets both finish. It prints
one JSON line: emails due, delivered, lost, duplicated, and how many duplicates carried the
Message-ID of the first copy (the only duplicate the design allows: a kill between the SMTP
accept and the sent mark) or another.
"""

import argparse
import json
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", choices=["worker", "reminders"], required=True)
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--per-round", type=int, default=100, help="kills per round of work")
    parser.add_argument("--agreements", type=int, default=25, help="signed per round")
    parser.add_argument(
        "--unsealed", type=int, default=2, help="of those, sealed by the worker under the kills"
    )
    parser.add_argument("--reminders", type=int, default=40, help="partnerships per round")
    parser.add_argument(
        "--delay", type=float, default=0.2, help="seconds the SMTP sink takes per message"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("command:", shlex.join(["python", *sys.argv]), flush=True)

    scratch = tempfile.TemporaryDirectory(prefix="mentorpact-crash-bench-")
    os.environ.update(
        {
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "mentorpact.settings",
            "SQLITE_PATH": str(Path(scratch.name) / "bench.sqlite3"),
            "MEDIA_ROOT": str(Path(scratch.name) / "media"),
            "AGREEMENT_SIGNING_KEY": "",
            "AGREEMENT_SIGNING_CERT": "",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from mentorpact.tests import crashkit

    call_command("migrate", verbosity=0)
    kind = "worker" if args.scenario == "worker" else "loop"
    due = 0
    kills = 0
    began = time.monotonic()
    with crashkit.Sink(refuse=0.1, delay=args.delay, seed=args.seed) as sink:
        env = crashkit.child_environment(
            connection.settings_dict, smtp_port=sink.port, media_root=str(settings.MEDIA_ROOT)
        )
        connections.close_all()
        log = Path(scratch.name) / "children.log"
        launcher = crashkit.Launcher(env, log=log)
        try:
            round_number = 0
            while kills < args.kills:
                round_number += 1
                if args.scenario == "worker":
                    due += crashkit.make_signed_versions(
                        args.agreements,
                        sealed=args.agreements - args.unsealed,
                        prefix=f"sign{round_number}",
                    )
                else:
                    due += crashkit.make_due_reminders(
                        args.reminders, prefix=f"remind{round_number}"
                    )
                connections.close_all()
                # The process not under test runs unharmed through the round.
                helper = launcher.start("loop" if kind == "worker" else "worker")
                try:
                    run = crashkit.kill_loop(
                        launcher,
                        kills={kind: min(args.per_round, args.kills - kills)},
                        lifetime=(0.05, 0.8),
                        seed=args.seed + round_number,
                        sink=sink,
                    )
                finally:
                    crashkit.kill(helper)
                kills += run.kills[kind]
                crashkit.drain(launcher, sink, due=due, timeout=300)
                tally = crashkit.tally(sink.snapshot(), due=due)
                print(f"round {round_number}: {kills} kills, {tally.line()}", flush=True)
                # Earlier rounds' partnerships are done: closed, so planning skips them.
                from mentorpact.partnerships.models import Partnership

                Partnership.objects.update(status="concluded")
                connections.close_all()
        finally:
            launcher.close()
        tally = crashkit.tally(sink.snapshot(), due=due)
    result = {
        "scenario": args.scenario,
        "kills": kills,
        "seconds": round(time.monotonic() - began),
        "refused_by_smtp": sink.refused,
        **tally.__dict__,
    }
    print(json.dumps(result), flush=True)
    scratch.cleanup()


if __name__ == "__main__":
    main()
