"""Background work for webhooks, run by `manage.py db_worker`."""

from django.tasks import task

from mentorpact.webhooks import sender


@task
def deliver_webhooks(delivery_ids: list[int]) -> None:
    """Send these deliveries now; the reminders loop's pass sends what is left due later."""
    sender.send_due(ids=delivery_ids)
