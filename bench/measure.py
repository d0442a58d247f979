"""Shared by the benchmarks: one run of bench/run.py's pages, and the frame of the import
benchmarks (bench/people.py, bench/pairing.py).

Run as a script, it is one bench/run.py run: migrate a fresh database, generate N
partnerships, time the pages. bench/run.py sets the environment (database, settings module)
and reads the JSON this prints on its last line; it is not meant to be run by hand.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

WARM_UP = 10


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--wrk-port", type=int, default=0, help="also run wrk on this port")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-connections", type=int, default=8)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    out = StringIO()
    started = time.perf_counter()
    call_command("generate_load", partnerships=args.partnerships, stdout=out)
    generated_s = time.perf_counter() - started
    keys = dict(line.split("=", 1) for line in out.getvalue().splitlines() if "=" in line)

    program_url = reverse("programs:overview", args=[keys["program_id"]])
    last_page = max(1, -(-args.partnerships // 25))
    pages = {
        "overview": program_url,
        "overview, last page": f"{program_url}?page={last_page}",
        "partnership": reverse("partnerships:detail", args=[keys["partnership_code"]]),
    }
    client = Client()
    from mentorpact.accounts.models import User

    client.force_login(User.objects.get(email=keys["coordinator"]))

    results = []
    for name, url in pages.items():
        row = {"page": name, "url": url, **time_in_process(client, url, args.requests)}
        if args.wrk_port:
            row.update(run_wrk(args, client.cookies["sessionid"].value, url))
        results.append(row)
    print(json.dumps({"generated_s": generated_s, "vendor": connection.vendor, "pages": results}))


def time_in_process(client, url: str, requests: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        check(client.get(url), url)
    # Counted once, apart from the timed requests: capturing SQL slows every query a little.
    with CaptureQueriesContext(connection) as captured:
        check(client.get(url), url)
    # Read now: the next request's request_started signal clears the connection's log.
    queries = len(captured)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        check(response, url)
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return {"p50_ms": cuts[49], "p95_ms": cuts[94], "queries": queries, "requests": requests}


def check(response, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}, not 200")


def run_wrk(args, session: str, path: str) -> dict:
    """wrk against granian on loopback, with the coordinator's session cookie."""
    base = f"http://127.0.0.1:{args.wrk_port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("granian")),
            "--interface=wsgi",
            "--host=127.0.0.1",
            f"--port={args.wrk_port}",
            "--workers=1",
            "--blocking-threads=4",
            "--no-access-log",
            f"--working-dir={REPO}",
            "mentorpact.wsgi:application",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{base}/health/", server)
        wrk = subprocess.run(
            [
                shutil.which("wrk"),
                "--latency",
                "-t2",
                f"-c{args.wrk_connections}",
                f"-d{args.wrk_seconds}s",
                "-H",
                f"Cookie: sessionid={session}",
                f"{base}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
    if "Non-2xx" in wrk:
        raise SystemExit(f"wrk got error answers from {path}:\n{wrk}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", wrk, re.MULTILINE))
    return {
        "wrk_rps": float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1)),
        "wrk_p50_ms": to_ms(latency["50"]),
        "wrk_p99_ms": to_ms(latency["99"]),
    }


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("granian exited before it answered")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"granian did not answer {url} within 30 s")


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


# --- The import benchmarks: bench/people.py and bench/pairing.py ---------------------------


def import_bench(script: str, doc: str, measure: Callable[["Steps", int], None]) -> None:
    """A benchmark script's main(): on SQLite (and PostgreSQL with --postgres), each in a
    fresh database (bench/run.py's `fresh_database`), run `measure(steps, rows)` in a
    subprocess with the bench settings, then print the steps' times and query counts."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--postgres", metavar="URL", help="also run on this PostgreSQL server")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        steps = Steps()
        measure(steps, args.rows)
        print(json.dumps(steps.results))
        return

    from urllib.parse import urlsplit

    from bench.run import LOOPBACK, fresh_database
    from mentorpact.lib.tables import format_table

    if args.postgres and urlsplit(args.postgres).hostname not in LOOPBACK:
        parser.error("--postgres must point at 127.0.0.1: benchmarks only run on loopback.")
    print("command:", shlex.join(["python", *sys.argv]))
    lines = []
    for database in ["sqlite"] + (["postgresql"] if args.postgres else []):
        with fresh_database(database, args.rows, args.postgres) as env:
            command = [sys.executable, script, "--inner", f"--rows={args.rows}"]
            done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True)
            if done.returncode != 0:
                name = Path(script).name
                sys.exit(f"bench/{name} failed on {database}:\n{done.stdout}\n{done.stderr}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
        for step, (ms, queries) in result.items():
            lines.append([database, step, f"{ms:.0f}", queries])
    print(format_table(["db", "step", "ms", "queries"], lines, right=[2, 3]))


class Steps:
    """A migrated fresh database with Cora, a coordinator, signed in to `client`; `timed`
    runs one step and keeps its milliseconds and query count in `results`."""

    def __init__(self) -> None:
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from mentorpact.accounts.models import User

        call_command("migrate", verbosity=0)
        self.cora = User.objects.create_user("cora@example.org", "bench", full_name="Cora")
        self.client = Client()
        self.client.force_login(self.cora)
        self.results: dict[str, tuple[float, int]] = {}

    def timed(self, name: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            value = call(*args, **kwargs)
            self.results[name] = ((time.perf_counter() - start) * 1000, len(queries))
        return value

    def program(self, name: str):
        """A new program that Cora coordinates."""
        from mentorpact.programs.models import Enrolment, Program

        program = Program.objects.create(name=name)
        Enrolment.objects.create(program=program, user=self.cora, role="coordinator")
        return program


if __name__ == "__main__":
    main()
