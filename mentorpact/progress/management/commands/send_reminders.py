"""Send due reminders: `manage.py send_reminders [--loop] [--interval N] [--plan-every N]`.

Each pass plans what is newly due (at most every --plan-every seconds) and then claims and
sends due reminders one at a time (see mentorpact/progress/reminders.py). It also keeps the
background work durable: it queues again the tasks whose worker died
(`outbox.stalled.reclaim_stalled`) and sends the outbox's emails due again (a retry after a
backoff, or a dead sender's, once its lease ran out: `outbox.sender.send_due`), and the
webhook deliveries due again the same way (`webhooks.sender.send_due`). Any number of
these may run at once: a reminder or an outbox email is claimed by one of them at a time.
It also ends the partnerships whose notice to end has run (`services.end_after_notice`).
TERM or Ctrl-C stops the loop at the end of the pass under way.
"""

import os
import signal
import socket
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from mentorpact.outbox import sender, stalled
from mentorpact.progress import reminders
from mentorpact.progress import services as progress_services
from mentorpact.webhooks import sender as webhook_sender


class Command(BaseCommand):
    help = "Plan and send due reminders (agreement due, action plan, contact, midpoint, end)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running")
        parser.add_argument(
            "--interval", type=int, default=60, help="seconds between passes (default 60)"
        )
        parser.add_argument(
            "--plan-every",
            type=int,
            default=900,
            help="seconds between two plannings of what is due (default 900)",
        )

    def handle(self, *args, loop: bool, interval: int, plan_every: int, **options):
        worker = f"{socket.gethostname()}:{os.getpid()}"
        self.stopping = False
        if loop:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        planned_at = None
        while True:
            if planned_at is None or time.monotonic() - planned_at >= plan_every:
                created = reminders.plan_reminders()
                planned_at = time.monotonic()
                if created:
                    self.stdout.write(f"send_reminders: {created} newly due")
            requeued = stalled.reclaim_stalled()
            if requeued:
                self.stdout.write(f"send_reminders: {requeued} stalled tasks queued again")
            retried = stalled.retry_failed()
            if retried:
                self.stdout.write(f"send_reminders: {retried} failed tasks queued again")
            ended = progress_services.end_after_notice()
            if ended:
                self.stdout.write(f"send_reminders: {ended} ended after their notice")
            counts = reminders.send_due_reminders(worker=worker)
            if any(counts.values()):
                summary = ", ".join(f"{n} {outcome}" for outcome, n in counts.items() if n)
                self.stdout.write(f"send_reminders: {summary}")
            mailed = sender.send_due(worker=worker)
            if any(mailed.values()):
                summary = ", ".join(f"{n} {outcome}" for outcome, n in mailed.items() if n)
                self.stdout.write(f"send_reminders: outbox {summary}")
            posted = webhook_sender.send_due(worker=worker)
            if any(posted.values()):
                summary = ", ".join(f"{n} {outcome}" for outcome, n in posted.items() if n)
                self.stdout.write(f"send_reminders: webhooks {summary}")
            if not loop or self.stopping:
                return
            # A long-running loop drops connections past their age or broken, as requests do.
            close_old_connections()
            for _ in range(max(interval, 1)):
                if self.stopping:
                    return
                time.sleep(1)

    def _stop(self, signum, frame) -> None:
        self.stopping = True
