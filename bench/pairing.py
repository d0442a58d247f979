"""Benchmark the pairing CSV (preview and import) and the pairing page's query count.

    .venv/bin/python bench/pairing.py                    # SQLite, a 5,000-row file
    .venv/bin/python bench/pairing.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Each database is fresh (bench/run.py's `fresh_database`), migrated, with one program, its
coordinator and as many mentors and mentees as the file has rows. Measured: checking the file
for its preview (`pairing.imports.read_pairings`), importing it (`services.import_pairings`:
every pair through `pair()` in one transaction, the emails enqueued), the preview of the same
file again (nothing to change), and the pairing page at 100 and at 5,000 rows.
"""

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        print(json.dumps(measure(args.rows)))
        return

    from bench.run import LOOPBACK, fresh_database
    from mentorpact.lib.tables import format_table

    if args.postgres:
        from urllib.parse import urlsplit

        if urlsplit(args.postgres).hostname not in LOOPBACK:
            parser.error("--postgres must point at 127.0.0.1: benchmarks only run on loopback.")
    print("command:", shlex.join(["python", *sys.argv]))
    lines = []
    for database in ["sqlite"] + (["postgresql"] if args.postgres else []):
        with fresh_database(database, args.rows, args.postgres) as env:
            command = [sys.executable, __file__, "--inner", f"--rows={args.rows}"]
            done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"bench/pairing.py failed on {database}:\n{done.stdout}\n{done.stderr}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
        for step, (ms, queries) in result.items():
            lines.append([database, step, f"{ms:.0f}", queries])
    print(format_table(["db", "step", "ms", "queries"], lines, right=[2, 3]))


def measure(rows: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from mentorpact.accounts.models import User
    from mentorpact.pairing import imports, services
    from mentorpact.programs.models import Enrolment, Program

    call_command("migrate", verbosity=0)
    cora = User.objects.create_user("cora@example.org", "bench", full_name="Cora")
    client = Client()
    client.force_login(cora)
    results: dict[str, tuple[float, int]] = {}

    def timed(name, call, *args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            value = call(*args, **kwargs)
            results[name] = ((time.perf_counter() - start) * 1000, len(queries))
        return value

    for size in (100, rows):
        program = Program.objects.create(name=f"Program of {size}")
        Enrolment.objects.create(program=program, user=cora, role="coordinator")
        people = User.objects.bulk_create(
            User(email=f"p{size}-{role}{n}@example.org", full_name=f"{role} {n}", password="!")
            for n in range(size)
            for role in ("mentor", "mentee")
        )
        Enrolment.objects.bulk_create(
            Enrolment(
                program=program,
                user=user,
                role="mentor" if "-mentor" in user.email else "mentee",
            )
            for user in people
        )
        lines = ["mentor_email,mentee_email"]
        lines += [
            f"p{size}-mentor{n}@example.org,p{size}-mentee{n}@example.org" for n in range(size)
        ]
        data = ("\n".join(lines) + "\n").encode()
        url = reverse("pairing:page", args=[program.public_id])
        client.get(url)  # warm
        timed(f"pairing page, {size:,} waiting", client.get, url)
        preview = timed(f"preview, {size:,} rows", imports.read_pairings, data, program)
        assert preview.ok, preview.sheet.problems[:3]
        timed(
            f"import, {size:,} rows",
            services.import_pairings,
            program=program,
            pairings=preview.pairings,
            actor=cora,
        )
        again = timed(f"preview again, {size:,} rows", imports.read_pairings, data, program)
        assert again.ok and again.pairings == [] and again.unchanged == size
        timed(f"pairing page, {size:,} paired", client.get, url)
    return results


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    main()
