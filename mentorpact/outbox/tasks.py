"""Background work for the outbox, run by `manage.py db_worker`."""

from django.tasks import task

from mentorpact.outbox import sender


@task
def deliver_email(email_id: int) -> None:
    """Send one outbox row now (a retried one); the sweep sends it later if this fails."""
    sender.deliver([email_id])
