"""Benchmark the coordinator's program overview and a partnership page at several sizes.

    .venv/bin/python bench/run.py                       # SQLite at 100, 1,000, 10,000
    .venv/bin/python bench/run.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/run.py --sizes 100 --wrk     # also wrk against granian

Each size gets a fresh database (a temporary SQLite file; with --postgres, also a new
PostgreSQL database, dropped afterwards), migrated and filled by `generate_load`. See
bench/README.md for what is measured and how to read the table.
"""

import argparse
import json
import os
import platform
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from mentorpact.lib.tables import format_table  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PORTS = range(8300, 8400)  # this benchmark's live servers, on 127.0.0.1 only


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="partnership counts")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--no-sqlite", action="store_true", help="only run on PostgreSQL")
    parser.add_argument("--wrk", action="store_true", help="also run wrk against granian")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    args = parser.parse_args()

    sizes = [int(size) for size in args.sizes.split(",")]
    if args.postgres and urlsplit(args.postgres).hostname not in LOOPBACK:
        parser.error("--postgres must point at 127.0.0.1: benchmarks only run on loopback.")
    if args.wrk and not shutil.which("wrk"):
        parser.error("--wrk needs wrk (apt-get install wrk).")
    databases = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    if not databases:
        parser.error("--no-sqlite needs --postgres.")

    python = os.path.relpath(sys.executable) if sys.executable.startswith(str(REPO)) else "python"
    print("command:", shlex.join([python, *sys.argv]))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {args.requests} requests")
    rows = []
    for database in databases:
        for size in sizes:
            with fresh_database(database, size, args.postgres) as env:
                result = measure(env, size, args)
            print(f"{database}: generated {size:,} partnerships in {result['generated_s']:.1f} s")
            rows += [(database, size, page) for page in result["pages"]]
    print(table(rows, wrk=args.wrk))


@contextmanager
def fresh_database(database: str, size: int, postgres_url: str | None):
    with tempfile.TemporaryDirectory(prefix="mentorpact-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-not-for-any-real-site-0123456789",
            # A throwaway key for the confidential texts (the demo's story has some).
            "NOTES_ENCRYPTION_KEYS": "YmVuY2gtb25seS1ub3Rlcy1rZXktMDEyMzQ1Njc4OWE=",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "LOG_LEVEL": "WARNING",
            # Sealed PDFs and the sealing key made on first use stay out of the work tree.
            "MEDIA_ROOT": str(Path(tmp) / "media"),
        }
        env.pop("PGDATABASE", None)
        if database == "sqlite":
            env.pop("DATABASE_URL", None)
            env["SQLITE_PATH"] = str(Path(tmp) / "bench.sqlite3")
            yield env
            return
        with _postgres_database(postgres_url, size) as url:
            env["DATABASE_URL"] = url
            yield env


@contextmanager
def _postgres_database(postgres_url: str | None, size: int):
    import psycopg
    from psycopg import sql

    name = f"mp_bench_{os.getpid()}_{size}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        parts = urlsplit(postgres_url)
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def measure(env: dict, size: int, args) -> dict:
    command = [
        sys.executable,
        str(REPO / "bench" / "measure.py"),
        f"--partnerships={size}",
        f"--requests={args.requests}",
    ]
    if args.wrk:
        command += [f"--wrk-port={free_port()}", f"--wrk-seconds={args.wrk_seconds}"]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"bench/measure.py failed for N={size}:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    sys.exit(f"No free port in {PORTS.start}-{PORTS.stop - 1} on 127.0.0.1.")


def table(rows: list, *, wrk: bool) -> str:
    header = ["db", "N", "page", "p50 ms", "p95 ms", "queries"]
    if wrk:
        header += ["wrk req/s", "wrk p50 ms", "wrk p99 ms"]
    lines = []
    for database, size, page in rows:
        line = [database, f"{size:,}", page["page"], f"{page['p50_ms']:.1f}"]
        line += [f"{page['p95_ms']:.1f}", page["queries"]]
        if wrk:
            line += [f"{page['wrk_rps']:.0f}", f"{page['wrk_p50_ms']:.1f}"]
            line += [f"{page['wrk_p99_ms']:.1f}"]
        lines.append(line)
    return format_table(header, lines, right=[1, *range(3, len(header))])


if __name__ == "__main__":
    main()
