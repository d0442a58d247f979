"""Schemathesis against the live API: every check (a 5xx, a response outside the schema, an
undocumented status or content type, an operation that answers without a token, a use
after a delete, ...), the examples, coverage, fuzzing and stateful phases, as Cora (the
program's coordinator, a read-and-write token) over the persona program.

100 cases per operation (the issue's bar), on SQLite and on PostgreSQL alike, in about 50 s
of CPU (server and client, load-independent; `timing.json` in the report says how it went).
Per case that is about 20 ms: half Schemathesis (Hypothesis drawing the inputs, the
checks), half the live server, of which the token's lookup and rate-limit UPDATE is a
third. The wall time used to be mostly waiting: wsgiref writes headers and body
apart, so each request on a kept-alive connection waited 40 ms for a delayed ACK
(`_NoDelayServer`). The database is set up once for the test, not per case. The coverage
phase (every boundary of every parameter, about 1,500 more requests) runs in
`bench/api_fuzz.py` with the other three.
"""

import json
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test import LiveServerTestCase, override_settings
from django.test.testcases import LiveServerThread

from mentorpact.api.tests.access import api_objects, issue_tokens
from mentorpact.progress.tests.base import ProgressMixin
from mentorpact.tests.test_api_access_matrix import schema_operations

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "100"))
# The coverage phase (every boundary and every kind of wrong value of every parameter, about
# 1,500 requests) alone took 110 s here: it runs in bench/api_fuzz.py with the other three.
PHASES = os.environ.get("API_FUZZ_PHASES", "examples,fuzzing,stateful")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def report_dir(vendor: str) -> Path:
    """The run's report, one folder per database: CI runs the SQLite and the PostgreSQL
    suites side by side in one checkout, and each run empties its own folder first."""
    return ARTIFACTS / f"schemathesis-{vendor}"


def schemathesis(
    base_url: str, token: str, *, examples: int, phases: str, report: Path
) -> tuple[int, str]:
    """Run the Schemathesis CLI against `base_url`; its exit code and its output."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--phases",
        phases,
        "--max-examples",
        str(examples),
        "--header",
        f"Authorization: Bearer {token}",
        "--workers",
        "1",
        # Generous: a loaded CI machine (2 cores, 5 engineers) answers slowly, not wrongly.
        "--request-timeout",
        "60",
        "--seed",
        "17",
        "--suppress-health-check",
        "all",
        # Nothing kept between runs: each CI run starts from the same seed, not from what
        # an earlier run on this machine found (and no files written under .hypothesis/).
        "--generation-database",
        "none",
        "--report",
        "ndjson",
        "--report-dir",
        str(report),
    ]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""}
    done = subprocess.run(  # noqa: S603 (our own interpreter, a fixed command)
        command, capture_output=True, text=True, timeout=900, env=env, check=False
    )
    return done.returncode, done.stdout + done.stderr


def problems(output: str) -> str:
    """The run's closing line when it names failures or errors ("" when none: "No issues
    found", or only warnings such as an operation that mostly answered 404)."""
    closing = [line for line in output.splitlines() if line.startswith("====")][-1:]
    line = closing[0] if closing else "no closing line"
    return line if re.search(r"failure|error|no closing", line) else ""


def example_counts(report: Path) -> dict[str, int]:
    """Cases generated per operation, from the run's ndjson events."""
    counts: dict[str, int] = {}
    for path in report.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if finished and finished.get("recorder"):
                label = finished["recorder"].get("label", "")
                cases = finished["recorder"].get("cases", {})
                counts[label] = counts.get(label, 0) + len(cases)
    return counts


class _NoDelayServer(ThreadedWSGIServer):
    """Django's live server with Nagle's algorithm off on each connection. wsgiref writes a
    response's headers and its body separately; on a kept-alive connection the body then
    waits for the client's delayed ACK of the headers, 40 ms on Linux: 70 ms a GET /me
    instead of 13, 77 ms a POST instead of 4 (measured here), most of a run's time."""

    def get_request(self) -> tuple[socket.socket, object]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class _NoDelayThread(LiveServerThread):
    server_class = _NoDelayServer


@override_settings(API_RATE_LIMIT=10**6, ALLOWED_HOSTS=["*"])
class SchemathesisTest(ProgressMixin, LiveServerTestCase):
    server_thread_class = _NoDelayThread

    def setUp(self):
        super().setUp()
        api_objects(self)
        self.tokens = issue_tokens(self)

    def test_the_live_api_passes_every_check_in_every_phase(self):
        # The run's own report, for a person reading a failure (test-artifacts/).
        report = report_dir(connection.vendor)
        shutil.rmtree(report, ignore_errors=True)
        report.mkdir(parents=True)
        began, server_began = time.monotonic(), time.process_time()
        client_began = resource.getrusage(resource.RUSAGE_CHILDREN)
        code, output = schemathesis(
            self.live_server_url,
            self.tokens["cora"],
            examples=EXAMPLES,
            phases=PHASES,
            report=report,
        )
        client = resource.getrusage(resource.RUSAGE_CHILDREN)
        (report / "output.txt").write_text(output)
        # Where the time went, for a run that CI finds slow: this process's CPU is the live
        # server's (the test thread only waits), the child's is Schemathesis generating and
        # checking; with the load average, wall time over CPU says how busy the machine was.
        timing = {
            "wall_seconds": round(time.monotonic() - began, 1),
            "server_cpu_seconds": round(time.process_time() - server_began, 1),
            "client_cpu_seconds": round(
                client.ru_utime + client.ru_stime - client_began.ru_utime - client_began.ru_stime,
                1,
            ),
            "load_average": os.getloadavg(),
            "examples": EXAMPLES,
            "database": connection.vendor,
        }
        (report / "timing.json").write_text(json.dumps(timing))
        print(f"\nSchemathesis: {json.dumps(timing)}")
        self.assertEqual(code, 0, output[-20000:])
        self.assertEqual(problems(output), "", output[-5000:])
        # Every operation of the schema had cases, and the stateful phase ran its scenarios.
        counts = example_counts(report)
        operations = {label for label in counts if label.split(" ")[0] in ("GET", "POST")}
        self.assertEqual(len(operations), len(schema_operations()), counts)
        self.assertGreater(counts.get("Stateful tests", 0), 0, counts)
        # At least EXAMPLES cases each, but where Hypothesis runs out of distinct inputs
        # first: GET /me takes none (3 cases: with the token, without, with a wrong one).
        few = {label: n for label, n in counts.items() if label in operations and n < EXAMPLES}
        self.assertEqual(few, {"GET /api/v1/me": few.get("GET /api/v1/me", 0)}, counts)
