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
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

WARM_UP = 10


@dataclass(frozen=True)
class Page:
    name: str
    slug: str  # the bare view's name for it: /__bench/bare/<slug>/
    url: str
    persona: str  # "anonymous", "partner" or "coordinator"


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from mentorpact.accounts.models import User

    parser = argparse.ArgumentParser()
    parser.add_argument("--partnerships", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--wrk-port", type=int, default=0, help="also run wrk on this port")
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--wrk-rounds", type=int, default=3)
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
    partnership_url = reverse("partnerships:detail", args=[keys["partnership_code"]])
    pages = [
        Page("sign-in", "sign-in", reverse("accounts:login"), "anonymous"),
        Page("My partnerships", "mine", reverse("partnerships:mine"), "partner"),
        Page("partnership (partner)", "partnership", partnership_url, "partner"),
        Page("partnership (coordinator)", "partnership-office", partnership_url, "coordinator"),
        Page("overview", "overview", program_url, "coordinator"),
        Page(
            "overview, last page", "overview-last", f"{program_url}?page={last_page}", "coordinator"
        ),
    ]
    clients = {"anonymous": Client()}
    for persona, email in [("partner", keys["partner"]), ("coordinator", keys["coordinator"])]:
        clients[persona] = Client()
        clients[persona].force_login(User.objects.get(email=email))

    results = [
        {
            "page": page.name,
            "url": page.url,
            **time_in_process(clients[page.persona], page.url, args.requests),
        }
        for page in pages
    ]
    if args.wrk_port:
        sessions = {
            persona: client.cookies["sessionid"].value
            for persona, client in clients.items()
            if "sessionid" in client.cookies
        }
        for row, measured in zip(results, run_wrk(args, pages, sessions), strict=True):
            row.update(measured)
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


def run_wrk(args, pages: list[Page], sessions: dict[str, str]) -> list[dict]:
    """wrk against granian on loopback (two workers, four blocking threads each, production
    settings), each page with its persona's session cookie, interleaved with bench/urls.py's
    bare view serving that page's exact bytes through the same middleware: page, bare, next
    page, ..., for --wrk-rounds rounds. Each figure is the median over the rounds."""
    import tempfile

    base = f"http://127.0.0.1:{args.wrk_port}"
    with tempfile.TemporaryDirectory(prefix="mentorpact-bare-") as bare_dir:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("granian")),
                "--interface=wsgi",
                "--host=127.0.0.1",
                f"--port={args.wrk_port}",
                "--workers=2",
                "--blocking-threads=4",
                "--no-access-log",
                f"--working-dir={REPO}",
                "mentorpact.wsgi:application",
            ],
            env={**os.environ, "BENCH_BARE_DIR": bare_dir},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(f"{base}/health/", server)
            cookies = {page.slug: _cookie(sessions.get(page.persona)) for page in pages}
            for page in pages:  # the bytes each bare view serves: the page as served here
                request = urllib.request.Request(f"{base}{page.url}", headers=cookies[page.slug])
                with urllib.request.urlopen(request, timeout=30) as response:
                    Path(bare_dir, f"{page.slug}.html").write_bytes(response.read())
            runs: dict[str, list[dict]] = {page.slug: [] for page in pages}
            bare_runs: dict[str, list[dict]] = {page.slug: [] for page in pages}
            for _ in range(args.wrk_rounds):
                for page in pages:
                    headers = cookies[page.slug]
                    runs[page.slug].append(wrk(args, f"{base}{page.url}", headers))
                    bare_url = f"{base}/__bench/bare/{page.slug}/"
                    bare_runs[page.slug].append(wrk(args, bare_url, headers))
        finally:
            server.terminate()
            server.wait(timeout=10)
    results = []
    for page in pages:
        rps = statistics.median(run["rps"] for run in runs[page.slug])
        bare = statistics.median(run["rps"] for run in bare_runs[page.slug])
        results.append(
            {
                "wrk_rps": rps,
                "wrk_p50_ms": statistics.median(run["p50_ms"] for run in runs[page.slug]),
                "wrk_p99_ms": statistics.median(run["p99_ms"] for run in runs[page.slug]),
                "bare_rps": bare,
                "ratio": rps / bare,
                "rounds": args.wrk_rounds,
            }
        )
    return results


def _cookie(session: str | None) -> dict[str, str]:
    return {"Cookie": f"sessionid={session}"} if session else {}


def wrk(args, url: str, headers: dict[str, str]) -> dict:
    command = [shutil.which("wrk"), "--latency", "-t2", f"-c{args.wrk_connections}"]
    command += [f"-d{args.wrk_seconds}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk got error answers from {url}:\n{output}")
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if len(latency) != 2:
        raise SystemExit(f"wrk gave no latency distribution for {url}:\n{output}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
    }


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120  # a loaded shared machine starts slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("granian exited before it answered")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"granian did not answer {url} within 120 s")


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
