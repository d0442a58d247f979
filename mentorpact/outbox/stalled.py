"""Tasks whose worker died, and tasks that failed: django-tasks-db leaves the first RUNNING for
ever and never runs the second again (it has no retries).

`reclaim_stalled` puts a task back in the queue (READY) once it has been RUNNING longer than
TASK_STALL_SECONDS, so the next `db_worker` runs it again. `retry_failed` queues a FAILED task
again after a backoff (MAIL_BACKOFF_SECONDS, by how many times it ran: django-tasks-db adds a
worker id to `worker_ids` at each claim), up to TASK_MAX_ATTEMPTS runs in all; after that it
stays FAILED, with its traceback, for support. That is safe because our tasks are
idempotent: the ones that email write outbox rows by a unique key and send each under its
fixed Message-ID (a task run twice enqueues nothing twice), sealing stores one PDF. It runs in
every pass of `manage.py send_reminders --loop` (the one loop every deployment has) rather
than in a second loop process or a patched `db_worker`.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentorpact.outbox.sender import backoff

RUNNING = "RUNNING"
READY = "READY"
FAILED = "FAILED"


def reclaim_stalled(*, now: datetime.datetime | None = None) -> int:
    """Requeue every task RUNNING for longer than TASK_STALL_SECONDS; return how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASK_STALL_SECONDS)
    # One conditional UPDATE: a second reaper, or the worker finishing meanwhile (status no
    # longer RUNNING), changes nothing twice.
    return DBTaskResult.objects.filter(status=RUNNING, started_at__lt=cutoff).update(
        status=READY, started_at=None
    )


def retry_failed(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Queue again every FAILED task whose backoff is over and that has run fewer than
    TASK_MAX_ATTEMPTS times; return how many. Safe for the same reason as reclaim_stalled."""
    now = now or timezone.now()
    soonest = now - backoff(1)
    candidates = DBTaskResult.objects.filter(status=FAILED, finished_at__lte=soonest).only(
        "id", "finished_at", "worker_ids"
    )[:limit]
    queued = 0
    for task in candidates:
        runs = len(task.worker_ids or [])
        finished = task.finished_at
        if runs >= settings.TASK_MAX_ATTEMPTS or finished is None:
            continue
        if finished > now - backoff(runs):
            continue
        # Conditional on the row as read: a second loop retrying it too changes nothing.
        queued += DBTaskResult.objects.filter(
            pk=task.pk, status=FAILED, finished_at=task.finished_at
        ).update(status=READY, started_at=None, finished_at=None, run_after=now)
    return queued
