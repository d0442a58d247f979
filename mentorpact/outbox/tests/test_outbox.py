"""The outbox: enqueued once per key, sent under a fixed Message-ID, marked after the send,
taken again when a sender's lease runs out, retried with backoff, then given up."""

from datetime import timedelta
from unittest import mock

import time_machine
from django.conf import settings
from django.core import mail
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentorpact.audit.models import Event
from mentorpact.lib.emails import Rendered
from mentorpact.outbox import sender, services, stalled
from mentorpact.outbox.models import Email

HELLO = Rendered(subject="Hello", body="Hello, Theo.", html="<p>Hello, Theo.</p>")
SMTP_DOWN = mock.patch(
    "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
)


def enqueue(key: str = "hello:1", **kwargs) -> Email:
    return services.enqueue(
        key=key, kind="hello", to="theo@example.org", rendered=HELLO, program_id=7, **kwargs
    )


class EnqueueTest(TestCase):
    def test_one_key_is_one_row_with_its_message_id_fixed_at_creation(self):
        first = enqueue()
        again = enqueue()
        self.assertEqual(Email.objects.count(), 1)
        self.assertEqual(again.message_id, first.message_id)
        self.assertRegex(first.message_id, r"^<.+@127\.0\.0\.1>$")
        self.assertNotEqual(enqueue("hello:2").message_id, first.message_id)


class SendTest(TestCase):
    def test_it_sends_under_the_message_id_and_then_marks_the_row_sent(self):
        email = enqueue()
        self.assertEqual(sender.deliver([email.pk]), {"sent": 1, "failed": 0, "gave_up": 0})
        (message,) = mail.outbox
        self.assertEqual(message.extra_headers["Message-ID"], email.message_id)
        self.assertEqual((message.to, message.subject), (["theo@example.org"], "Hello"))
        email.refresh_from_db()
        self.assertIsNotNone(email.sent_at)
        self.assertEqual(sender.send_due()["sent"], 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_leased_row_waits_for_its_lease_and_is_then_sent_again(self):
        email = enqueue()
        # A sender claimed it and died (no mark).
        self.assertIsNotNone(sender.claim(worker="dead:1"))
        self.assertEqual(sender.send_due()["sent"], 0)
        later = timezone.now() + timedelta(seconds=settings.MAIL_LEASE_SECONDS + 1)
        with time_machine.travel(later):
            self.assertEqual(sender.send_due()["sent"], 1)
        self.assertEqual(mail.outbox[0].extra_headers["Message-ID"], email.message_id)

    def test_a_sender_whose_lease_was_taken_over_marks_nothing(self):
        email = enqueue()
        _, old_token = sender.claim(worker="slow:1")
        later = timezone.now() + timedelta(seconds=settings.MAIL_LEASE_SECONDS + 1)
        with time_machine.travel(later):
            _, new_token = sender.claim(worker="fresh:2")
        sender.send(email, token=old_token)
        email.refresh_from_db()
        self.assertIsNone(email.sent_at)
        sender.send(email, token=new_token)
        email.refresh_from_db()
        self.assertIsNotNone(email.sent_at)

    def test_a_failure_backs_off_and_the_last_one_gives_up_on_the_row(self):
        email = enqueue()
        now = timezone.now()
        with SMTP_DOWN:
            self.assertEqual(sender.send_due()["failed"], 1)
            email.refresh_from_db()
            self.assertEqual((email.attempts, email.last_error), (1, "OSError: SMTP down"))
            self.assertEqual(sender.send_due()["failed"], 0)  # not due before its backoff
            for attempt in range(2, sender.MAX_ATTEMPTS + 1):
                now += timedelta(days=1)
                with time_machine.travel(now):
                    outcome = sender.send_due()
                self.assertEqual(outcome["gave_up" if attempt == 5 else "failed"], 1, attempt)
        email.refresh_from_db()
        self.assertEqual(email.status, "gave up")
        self.assertEqual(mail.outbox, [])
        event = Event.objects.get(action="outbox.gave_up")
        self.assertEqual((event.object_id, event.program_id), (email.pk, 7))
        with time_machine.travel(now + timedelta(days=30)):
            self.assertEqual(sender.send_due()["sent"], 0)

    def test_a_missing_attachment_is_a_failure_not_a_crash(self):
        email = enqueue(
            attachments=[
                {"filename": "a.pdf", "path": "nowhere/a.pdf", "mimetype": "application/pdf"}
                | {"sha256": "0" * 64}
            ]
        )
        self.assertEqual(sender.deliver([email.pk])["failed"], 1)
        self.assertEqual(mail.outbox, [])


class RetryTest(TestCase):
    def test_a_given_up_email_is_sent_again_under_the_same_message_id(self):
        email = enqueue()
        Email.objects.filter(pk=email.pk).update(attempts=5, gave_up_at=timezone.now())
        with self.captureOnCommitCallbacks(execute=True):
            services.retry_email(email=email, actor=None)
        self.assertEqual(Event.objects.filter(action="outbox.retried").count(), 1)
        # The retry is a task (django-tasks-db in tests: queued), sent by the next sweep.
        self.assertEqual(sender.send_due()["sent"], 1)
        self.assertEqual(mail.outbox[0].extra_headers["Message-ID"], email.message_id)

    def test_only_a_given_up_email_can_be_retried(self):
        email = enqueue()
        with self.assertRaises(services.OutboxError):
            services.retry_email(email=email, actor=None)
        self.assertFalse(Event.objects.filter(action="outbox.retried").exists())


class StalledTaskTest(TestCase):
    def task(self, status: str, started: timedelta) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status=status,
            started_at=timezone.now() - started,
            args_kwargs={"args": [], "kwargs": {"email_id": 1}},
            task_path="mentorpact.outbox.tasks.deliver_email",
            backend_name="default",
            run_after=timezone.now(),
        )

    def test_a_task_running_past_the_timeout_is_queued_again(self):
        stall = timedelta(seconds=settings.TASK_STALL_SECONDS)
        dead = self.task("RUNNING", stall + timedelta(seconds=5))
        alive = self.task("RUNNING", stall - timedelta(seconds=5))
        done = self.task("SUCCESSFUL", stall * 2)
        self.assertEqual(stalled.reclaim_stalled(), 1)
        statuses = {t.pk: t.status for t in DBTaskResult.objects.all()}
        self.assertEqual(
            [statuses[t.pk] for t in (dead, alive, done)], ["READY", "RUNNING", "SUCCESSFUL"]
        )
        self.assertEqual(stalled.reclaim_stalled(), 0)


class FailedTaskTest(TestCase):
    def failed(self, *, runs: int, finished: timedelta) -> DBTaskResult:
        return DBTaskResult.objects.create(
            status="FAILED",
            started_at=timezone.now() - finished - timedelta(seconds=1),
            finished_at=timezone.now() - finished,
            worker_ids=[f"w{n}" for n in range(runs)],
            args_kwargs={"args": [], "kwargs": {"version_id": 1}},
            task_path="mentorpact.agreements.tasks.seal_signed_agreement",
            backend_name="default",
            run_after=timezone.now() - finished,
            exception_class_path="builtins.OSError",
            traceback="OSError: disk full",
        )

    def test_a_failed_task_runs_again_after_its_backoff_until_the_last_attempt(self):
        first_wait = timedelta(seconds=settings.MAIL_BACKOFF_SECONDS[0])
        second_wait = timedelta(seconds=settings.MAIL_BACKOFF_SECONDS[1])
        due = self.failed(runs=1, finished=first_wait + timedelta(seconds=5))
        waiting = self.failed(runs=1, finished=first_wait - timedelta(seconds=5))
        # Ran twice: its wait is the second one, longer than the time since.
        backing_off = self.failed(runs=2, finished=first_wait + timedelta(seconds=5))
        spent = self.failed(runs=settings.TASK_MAX_ATTEMPTS, finished=second_wait * 100)

        self.assertEqual(stalled.retry_failed(), 1)
        statuses = {t.pk: t.status for t in DBTaskResult.objects.all()}
        self.assertEqual(
            [statuses[t.pk] for t in (due, waiting, backing_off, spent)],
            ["READY", "FAILED", "FAILED", "FAILED"],
        )
        self.assertEqual(stalled.retry_failed(), 0)  # queued once
        later = timezone.now() + second_wait
        self.assertEqual(stalled.retry_failed(now=later), 2)  # waiting and backing_off
        self.assertEqual(DBTaskResult.objects.get(pk=spent.pk).status, "FAILED")

    def test_the_worker_runs_a_retried_task_again(self):
        task = self.failed(runs=1, finished=timedelta(days=1))
        stalled.retry_failed()
        self.assertIn(task.pk, DBTaskResult.objects.ready().values_list("pk", flat=True))
