"""Tasks whose worker died: django-tasks-db leaves them RUNNING for ever, and has no retries.

`reclaim_stalled` puts a task back in the queue (READY) once it has been RUNNING longer than
TASK_STALL_SECONDS, so the next `db_worker` runs it again. That is safe because our tasks are
idempotent: the ones that email write outbox rows by a unique key and send each under its
fixed Message-ID (a task run twice enqueues nothing twice), sealing stores one PDF. It runs in
every pass of `manage.py send_reminders --loop` (the one loop every deployment has) rather
than in a second loop process or a patched `db_worker`.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

RUNNING = "RUNNING"
READY = "READY"


def reclaim_stalled(*, now: datetime.datetime | None = None) -> int:
    """Requeue every task RUNNING for longer than TASK_STALL_SECONDS; return how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASK_STALL_SECONDS)
    # One conditional UPDATE: a second reaper, or the worker finishing meanwhile (status no
    # longer RUNNING), changes nothing twice.
    return DBTaskResult.objects.filter(status=RUNNING, started_at__lt=cutoff).update(
        status=READY, started_at=None
    )
