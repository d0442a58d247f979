"""Kill -9 the real background processes and count every email: the crash tests
(mentorpact/tests/test_crash.py) and `bench/crash.py` share this.

- `Sink`: a local SMTP server (aiosmtpd) in a thread that keeps every message it accepts
  (Message-ID, recipient, subject, text, attachment names) and refuses a share of them with a
  451, so retries with backoff are part of every run.
- `Launcher`: a fork server. It imports Django and every app once (about 3.5 s of CPU, most of
  it WeasyPrint), then forks a child per start that runs the real command through
  `call_command` (`db_worker`, `send_reminders --loop`) with the environment below. A kill -9
  of a child is a real crash of that command; a restart costs a fork, not another 3.5 s, so
  a run can afford many kills. `python -m mentorpact.tests.crashkit` is the server itself.
- `make_signed_versions` / `make_due_reminders`: the work (signed agreements whose delivery
  task is queued, reminders due now); `kill_loop` kills and restarts at random moments;
  `drain` lets the processes finish; `tally` compares what arrived with what was due.

Both databases: the children connect with the caller's DATABASES (the test database when
pytest-django runs; a SQLite test database must be a file, SQLITE_TEST_PATH).
"""

import asyncio
import contextlib
import datetime
import email
import email.policy
import json
import logging
import os
import random
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# Short leases and waits, so a dead worker's work is taken again within seconds.
CRASH_SETTINGS = {
    "MAIL_LEASE_SECONDS": "2",
    "MAIL_BACKOFF_SECONDS": "1",
    "TASK_STALL_SECONDS": "2",
}


# --- The SMTP sink ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    message_id: str
    to: str
    subject: str
    text: str
    files: tuple[str, ...]

    @property
    def identity(self) -> tuple[str, str, str, tuple[str, ...]]:
        """What makes two messages the same email, whatever their Message-ID."""
        return (self.to, self.subject, self.text, self.files)


class Sink:
    """aiosmtpd on 127.0.0.1 in a thread; `refuse` is the share of messages answered 451;
    `delay` seconds pass before each answer (a slow server: a kill then often falls while a
    worker holds an email's lease or a reminder's claim)."""

    def __init__(self, *, refuse: float = 0.1, delay: float = 0.0, seed: int = 0) -> None:
        from aiosmtpd.controller import Controller

        # aiosmtpd logs every connection at INFO; a crash run makes thousands.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.received: list[Received] = []
        # When a message of each kind last began to arrive ("loop": a reminder, "worker":
        # an outbox email): kill_loop aims some kills at a send under way.
        self.sending: dict[str, float] = {}
        self.refused = 0
        self._lock = threading.Lock()
        self._random = random.Random(seed)
        self._refuse = refuse
        self._delay = delay
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> "Sink":
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._controller.stop()

    async def handle_DATA(self, server, session, envelope) -> str:
        kind = "loop" if b"<reminder." in envelope.content[:4000] else "worker"
        self.sending[kind] = time.monotonic()
        if self._delay:
            await asyncio.sleep(self._delay)
        with self._lock:
            if self._random.random() < self._refuse:
                self.refused += 1
                return "451 4.3.0 Try again later"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            body = message.get_body(preferencelist=("plain",))
            self.received.append(
                Received(
                    message_id=str(message["Message-ID"]),
                    to=",".join(envelope.rcpt_tos),
                    subject=str(message["Subject"]),
                    text=body.get_content() if body is not None else "",
                    files=tuple(
                        sorted(str(part.get_filename()) for part in message.iter_attachments())
                    ),
                )
            )
        return "250 OK"

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The fork server -------------------------------------------------------------------------


def child_environment(database: dict, *, smtp_port: int, media_root: str) -> dict[str, str]:
    """The environment for the children: the caller's database, the sink, short leases."""
    env = {
        **os.environ,
        **CRASH_SETTINGS,
        "DEBUG": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "MEDIA_ROOT": media_root,
        "DJANGO_SETTINGS_MODULE": "mentorpact.settings",
    }
    env.pop("DATABASE_URL", None)
    if database["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = str(database["NAME"])
    else:
        user, password = database.get("USER") or "", database.get("PASSWORD") or ""
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{auth}{host}:{port}/{database['NAME']}"
    return env


COMMANDS = {
    # --no-reload: DEBUG's autoreloader would run the worker in a grandchild.
    "worker": ["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
    "loop": ["send_reminders", "--loop", "--interval", "1"],
}


class Launcher:
    """The fork server as a subprocess: `start(kind)` forks a child running that command."""

    def __init__(self, env: dict[str, str], *, log: Path) -> None:
        self.log = log
        self._process = subprocess.Popen(
            [sys.executable, "-m", "mentorpact.tests.crashkit", str(log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            text=True,
            # Its own process group, which its children share: close() kills them all, so no
            # worker outlives a failed test to hold the test database (a later migration test
            # then waited on its locks until CI's time ran out).
            start_new_session=True,
        )
        ready = self._read(timeout=180)
        if ready != "ready":
            raise RuntimeError(f"the crash launcher did not start: {ready!r}; see {log}")

    def _read(self, timeout: float) -> str:
        assert self._process.stdout is not None
        readable, _, _ = select.select([self._process.stdout], [], [], timeout)
        if not readable:
            return ""
        return self._process.stdout.readline().strip()

    def start(self, kind: str) -> int:
        assert self._process.stdin is not None
        self._process.stdin.write(kind + "\n")
        self._process.stdin.flush()
        # Generous: under a loaded CI machine a fork and its first line can take seconds.
        answer = self._read(timeout=120)
        if not answer.isdigit():
            raise RuntimeError(f"the crash launcher did not start a {kind}: {answer!r}")
        return int(answer)

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _serve(log_path: str) -> None:
    """The fork server's own process: set Django up once, fork a child per line read."""
    import django

    django.setup()
    # Import what the commands and tasks import, so the children start at once.
    from django.core.management import call_command, load_command_class
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views: WeasyPrint, pyHanko)
    import mentorpact.agreements.tasks
    import mentorpact.outbox.tasks  # noqa: F401

    for name in ("db_worker", "send_reminders"):
        app = "django_tasks_db" if name == "db_worker" else "mentorpact.progress"
        load_command_class(app, name)
    from django.db import connections

    connections.close_all()
    children: set[int] = set()

    def reap(*_) -> None:
        while children:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    print("ready", flush=True)
    for line in sys.stdin:
        kind = line.strip()
        pid = os.fork()
        if pid == 0:  # the child: the real command, its output to the log
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            random.seed()
            devnull = os.open(os.devnull, os.O_RDWR)
            logfile = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            os.dup2(devnull, 0)
            os.dup2(logfile, 1)
            os.dup2(logfile, 2)
            args = list(COMMANDS[kind])
            if kind == "worker":
                args += ["--worker-id", f"crash-{os.getpid()}"]
            try:
                call_command(*args)
            finally:
                os._exit(0)
        children.add(pid)
        print(pid, flush=True)
    for pid in list(children):
        kill(pid)


# --- The work --------------------------------------------------------------------------------


def make_people(prefix: str, count: int):
    """A program with a coordinator and `count` partnerships, each its own mentor and mentee
    (so each email's subject and text name who it is for). No passwords: hashing is slow."""
    from mentorpact.accounts.models import User
    from mentorpact.partnerships import services as partnership_services
    from mentorpact.programs.models import Enrolment, Program

    program = Program.objects.create(
        name=f"Crash {prefix}",
        sponsor="Research Office",
        contact_email="office@example.org",
        return_address="office@example.org",
        kickoff_date=datetime.date.today(),
        agreement_due_date=datetime.date.today() + datetime.timedelta(days=3),
    )
    coordinator = User.objects.create_user(f"{prefix}-cora@example.org", None, full_name="Cora")
    Enrolment.objects.create(program=program, user=coordinator, role=Enrolment.Role.COORDINATOR)
    partnerships = []
    for n in range(count):
        mentor = User.objects.create_user(
            f"{prefix}-mentor{n}@example.org", None, full_name=f"Mentor {prefix}{n}"
        )
        mentee = User.objects.create_user(
            f"{prefix}-mentee{n}@example.org", None, full_name=f"Mentee {prefix}{n}"
        )
        for user, role in [(mentor, Enrolment.Role.MENTOR), (mentee, Enrolment.Role.MENTEE)]:
            Enrolment.objects.create(program=program, user=user, role=role)
        partnerships.append(
            partnership_services.create_partnership(
                program=program, mentor=mentor, mentee=mentee, actor=coordinator
            )
        )
    return program, partnerships


def make_signed_versions(count: int, *, sealed: int, prefix: str = "sign") -> int:
    """`count` agreements signed by both partners, their delivery tasks queued (the database
    task backend); the first `sealed` have their PDF sealed already (sealing is the slow part
    of the task; the others are sealed by the worker, under the kills). Returns the number
    of emails due: both partners and the program's copy, per agreement."""
    from mentorpact.agreement_templates.tests import set_template
    from mentorpact.agreements import selectors, services
    from mentorpact.agreements.models import AgreementVersion
    from mentorpact.agreements.tests.base import MENTEE_PART, MENTOR_PART, make_template

    program, partnerships = make_people(prefix, count)
    set_template(program, make_template("program", slug=f"crash-pact-{program.pk}"))
    for n, partnership in enumerate(partnerships):
        agreement = services.start_agreement(partnership=partnership, actor=partnership.mentor)
        for user, part in [(partnership.mentee, MENTEE_PART), (partnership.mentor, MENTOR_PART)]:
            version = selectors.draft_version(agreement)
            assert version is not None
            services.save_draft(
                agreement=agreement, user=user, values=part, based_on_revision=version.revision
            )
        version = selectors.draft_version(agreement)
        assert version is not None
        for user in (partnership.mentee, partnership.mentor):
            role = partnership.role_of(user)
            services.give_esign_consent(
                user=user, agreement=agreement, ip="127.0.0.1", user_agent="crash"
            )
            version = AgreementVersion.objects.get(pk=version.pk)
            services.sign_agreement(
                version=version,
                user=user,
                typed_name=user.full_name,
                intent_statement=selectors.signing_statement(version=version, user=user, role=role),
                ip="127.0.0.1",
                user_agent="crash",
                content_sha256_shown=version.content_sha256,
                revision_shown=version.revision,
            )
        if n == 0 and sealed:
            services.seal_signed_version(version=AgreementVersion.objects.get(pk=version.pk))
            first = AgreementVersion.objects.get(pk=version.pk)
        elif n < sealed:
            # Sealing costs a second or two of CPU: the others "sealed" before the kills share
            # the first one's stored PDF (the emails only attach it; what the worker seals
            # under the kills is its own).
            AgreementVersion.objects.filter(pk=version.pk).update(
                sealed_pdf=first.sealed_pdf.name, sealed_pdf_sha256=first.sealed_pdf_sha256
            )
    return 3 * count


def make_due_reminders(count: int, *, prefix: str = "remind") -> int:
    """`count` partnerships whose agreement is due in three days: a reminder each to both
    partners, planned (rows in the table). Returns the number of reminders due."""
    from mentorpact.agreement_templates.tests import set_template
    from mentorpact.agreements import services
    from mentorpact.agreements.tests.base import make_template
    from mentorpact.partnerships.models import Partnership
    from mentorpact.progress import reminders
    from mentorpact.progress.models import Reminder

    program, partnerships = make_people(prefix, count)
    set_template(program, make_template("program", slug=f"crash-remind-{program.pk}"))
    # Due in three days (a pair's own date is at least some weeks after pairing).
    Partnership.objects.filter(program=program).update(
        agreement_due_on=datetime.date.today() + datetime.timedelta(days=3)
    )
    for partnership in Partnership.objects.filter(program=program):
        services.start_agreement(partnership=partnership, actor=partnership.mentor)
    reminders.plan_reminders()
    return Reminder.objects.filter(partnership__program=program).count()


# --- Killing and counting --------------------------------------------------------------------


@dataclass
class Run:
    kills: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def kill_loop(
    launcher: Launcher,
    *,
    kills: dict[str, int],
    lifetime: tuple[float, float],
    seed: int = 0,
    deadline: float | None = None,
    sink: "Sink | None" = None,
) -> Run:
    """Keep one child of each kind running, each killed with SIGKILL after a random lifetime
    (uniform in `lifetime`, seconds) and started again at once, until each kind has had its
    number of `kills` (or `deadline`, a time.monotonic()). With `sink`, half the lives end
    instead at a random moment up to 0.3 s after the sink began to take a message of that
    kind: while the email is leased, or just after the server accepted it."""
    rng = random.Random(seed)
    began = time.monotonic()
    done = dict.fromkeys(kills, 0)
    running: dict[str, tuple[int, float, float, bool]] = {}

    def start(kind: str) -> tuple[int, float, float, bool]:
        now = time.monotonic()
        aimed = sink is not None and rng.random() < 0.5
        return (launcher.start(kind), now + rng.uniform(*lifetime), now, aimed)

    for kind in kills:
        running[kind] = start(kind)
    while any(done[kind] < kills[kind] for kind in kills):
        if deadline is not None and time.monotonic() > deadline:
            break
        now = time.monotonic()
        due = None
        for kind, (pid, at, since, aimed) in running.items():
            sending = sink.sending.get(kind, 0.0) if sink is not None else 0.0
            if aimed and sending > since:
                at = min(at, sending + rng.uniform(0.0, 0.3))
                running[kind] = (pid, at, since, False)
            if at <= now:
                due = kind
                break
        if due is None:
            time.sleep(0.01)
            continue
        kind = due
        pid = running[kind][0]
        kill(pid)
        done[kind] += 1
        if done[kind] < kills[kind]:
            running[kind] = start(kind)
        else:
            running.pop(kind)
            if not running:
                break
    for pid, *_ in running.values():
        kill(pid)
    return Run(kills=done, seconds=time.monotonic() - began)


def settled() -> bool:
    """Nothing left to do: every outbox email and reminder sent, no task waiting or running."""
    from django_tasks_db.models import DBTaskResult

    from mentorpact.outbox.models import Email
    from mentorpact.progress.models import Reminder

    return not (
        Email.objects.filter(sent_at__isnull=True).exists()
        or Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).exists()
        or DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    )


def drain(launcher: Launcher, sink: Sink, *, due: int, timeout: float) -> float:
    """Run a worker and the loop unharmed until `due` distinct emails arrived and nothing is
    left to do (or timeout)."""
    began = time.monotonic()
    pids = [launcher.start("worker"), launcher.start("loop")]
    try:
        while time.monotonic() - began < timeout:
            if len({r.identity for r in sink.snapshot()}) >= due and settled():
                # A moment more (past the 2 s lease): a resend of what a killed worker had
                # sent belongs in the count.
                time.sleep(3.5)
                break
            time.sleep(0.25)
    finally:
        for pid in pids:
            kill(pid)
    return time.monotonic() - began


@dataclass(frozen=True)
class Tally:
    due: int
    delivered: int
    lost: int
    duplicated: int
    same_message_id: int
    other_message_id: int

    def line(self) -> str:
        return json.dumps(self.__dict__)


def tally(received: list[Received], *, due: int) -> Tally:
    """Lost: due emails that never arrived. Duplicated: arrivals beyond the first of an email;
    of those, how many carried the Message-ID of its first arrival, and how many another."""
    first: dict[tuple, str] = {}
    same = other = 0
    for message in received:
        if message.identity not in first:
            first[message.identity] = message.message_id
        elif first[message.identity] == message.message_id:
            same += 1
        else:
            other += 1
    delivered = len(first)
    return Tally(
        due=due,
        delivered=delivered,
        lost=max(due - delivered, 0),
        duplicated=same + other,
        same_message_id=same,
        other_message_id=other,
    )


if __name__ == "__main__":
    _serve(sys.argv[1])
