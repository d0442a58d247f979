"""scripts/serve (make demo) supervises its children: restarts a dead one, stops them all.

Dummy children (SERVE_CHILDREN) stand in for granian and the loops, so 20 starts and stops
take seconds: each child writes its pid (and a grandchild's) to a file, and every one of them
must be gone after each stop.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import skipIf

from django.db import connection
from django.test import SimpleTestCase

SERVE = Path(__file__).resolve().parents[2] / "scripts" / "serve"


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped


def wait_for(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


# No database here: once per CI run is enough, so the PostgreSQL run skips it.
@skipIf(connection.vendor == "postgresql", "runs on the SQLite run; it uses no database")
class ServeTests(SimpleTestCase):
    def setUp(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="serve-"))
        self.pids = self.dir / "pids"
        self.pids.touch()
        self.addCleanup(self.kill_leftovers)

    def kill_leftovers(self) -> None:
        for pid in self.recorded():
            if alive(pid):
                os.kill(pid, signal.SIGKILL)

    def recorded(self) -> list[int]:
        return [int(line) for line in self.pids.read_text().split()]

    def serve(self, children: str, **env: str) -> subprocess.Popen[str]:
        environment = {k: v for k, v in os.environ.items() if k not in {"SITE_ROOT", "PORT"}}
        environment.update(SERVE_CHILDREN=children, **env)
        process = subprocess.Popen(
            [sys.executable, str(SERVE)],
            env=environment,
            stderr=subprocess.PIPE,
            text=True,
            process_group=0,
        )
        self.addCleanup(process.wait)
        self.addCleanup(process.kill)  # runs first; a no-op once it has exited
        return process

    def children(self) -> str:
        record = f">> {self.pids}"
        return "\n".join(
            [
                f"web=sh -c 'echo $$ {record}; exec sleep 600'",
                # a child that leaves a grandchild in its group, as granian's worker does
                f"worker=sh -c 'sleep 600 & echo $! {record}; echo $$ {record}; wait'",
                f"reminders=sh -c 'echo $$ {record}; exec sleep 600'",
            ]
        )

    def test_term_or_ctrl_c_stops_every_child_every_time(self):
        for round_ in range(20):
            before = len(self.recorded())
            process = self.serve(self.children())
            wait_for(lambda before=before: len(self.recorded()) == before + 4)
            signum = signal.SIGINT if round_ % 2 else signal.SIGTERM
            # To the whole group, as a terminal sends Ctrl-C or `kill -- -pgid` sends TERM.
            os.killpg(process.pid, signum)
            _, log = process.communicate(timeout=15)
            self.assertEqual(process.returncode, 130 if signum == signal.SIGINT else 143, log)
            self.assertIn("stopped", log)
            wait_for(lambda: not any(alive(pid) for pid in self.recorded()), seconds=2)

    def test_a_child_that_ignores_term_is_killed(self):
        process = self.serve(
            f"stubborn=sh -c 'trap \"\" TERM; echo $$ >> {self.pids}; while :; do sleep 0.1; done'",
            SERVE_STOP_SECONDS="0.5",
        )
        wait_for(lambda: len(self.recorded()) == 1)
        process.send_signal(signal.SIGTERM)
        _, log = process.communicate(timeout=15)
        self.assertEqual(process.returncode, 143)
        self.assertIn("stubborn did not stop in 0.5 s; killing it", log)
        wait_for(lambda: not alive(self.recorded()[0]), seconds=2)

    def test_a_dead_loop_is_logged_and_restarted_and_the_web_server_stays_up(self):
        web = self.dir / "web"
        web.touch()
        process = self.serve(
            f"web=sh -c 'echo $$ >> {web}; exec sleep 600'\n"
            f"reminders=sh -c 'echo $$ >> {self.pids}; exit 3'"
        )
        # Dies at once, starts again after a 1 s pause, dies again: the next pause is 2 s.
        wait_for(lambda: len(self.recorded()) == 2, seconds=8)
        time.sleep(0.3)
        web_pid = int(web.read_text())
        self.assertTrue(alive(web_pid))
        os.kill(process.pid, signal.SIGTERM)
        _, log = process.communicate(timeout=15)
        self.assertEqual(log.count("started reminders"), 2, log)
        self.assertIn("reminders (pid ", log)
        self.assertIn("exited with status 3", log)
        self.assertIn("restarting reminders in 1 s", log)
        self.assertIn("restarting reminders in 2 s", log)
        self.assertEqual(log.count("started web"), 1, log)
        self.assertEqual(web.read_text().split(), [str(web_pid)])
        self.assertFalse(alive(web_pid))

    def test_links_follow_the_port_it_serves_on(self):
        seen = self.dir / "site_root"
        process = self.serve(
            f"web=sh -c 'echo $$ >> {self.pids}; echo $SITE_ROOT > {seen}; exec sleep 600'",
            PORT="8101",
        )
        wait_for(lambda: seen.exists() and seen.read_text().strip() != "")
        self.assertEqual(seen.read_text().strip(), "http://127.0.0.1:8101")
        process.terminate()
        process.communicate(timeout=15)
