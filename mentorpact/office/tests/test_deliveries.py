"""The program's Deliveries page: the emails the system gave up on, shown to the program's
coordinators with dates, recipient and status (never a subject or body), and sent again."""

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentorpact.audit.models import Event
from mentorpact.lib.emails import Rendered
from mentorpact.office.tests.base import OfficeTestCase
from mentorpact.outbox import services
from mentorpact.outbox.models import Email
from mentorpact.progress.models import Reminder

SECRET = "Theo's goals: finish the thesis"


class DeliveriesTest(OfficeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.failed = self.email("agreement-signed:1:1", "theo@example.org", given_up=True)
        self.sent = self.email("agreement-signed:1:2", "mia@example.org", sent=True)
        self.elsewhere = self.email(
            "agreement-signed:2:1", "carl@example.org", given_up=True, program=self.other_program
        )

    def email(self, key, to, *, given_up=False, sent=False, program=None) -> Email:
        email = services.enqueue(
            key=key,
            kind="agreement-signed",
            to=to,
            rendered=Rendered(subject=f"Subject {SECRET}", body=SECRET, html=f"<p>{SECRET}</p>"),
            program_id=(program or self.program).pk,
        )
        now = timezone.now()
        Email.objects.filter(pk=email.pk).update(
            gave_up_at=now if given_up else None,
            attempts=5 if given_up else 0,
            sent_at=now if sent else None,
        )
        return Email.objects.get(pk=email.pk)

    def url(self, program=None) -> str:
        return reverse("office:deliveries", args=[(program or self.program).public_id])

    def retry_url(self, email: Email) -> str:
        return reverse("office:retry", args=[self.program.public_id, email.public_id])

    def test_the_coordinator_sees_what_was_not_delivered_without_its_content(self):
        self.sign_in(self.cora)
        response = self.client.get(self.url())
        self.assertContains(response, "1 email could not be delivered.")
        self.assertContains(response, "theo@example.org")
        self.assertContains(response, "Not delivered")
        self.assertContains(response, "gave up")
        self.assertContains(response, "mia@example.org")
        self.assertContains(response, "Signed agreement (PDF)")
        self.assertNotContains(response, SECRET)
        self.assertNotContains(response, "carl@example.org")  # another program's
        self.assertContains(response, self.retry_url(self.failed))
        self.assertNotContains(response, self.retry_url(self.sent))

    def test_reminders_the_mail_server_refused_are_listed_with_their_next_try(self):
        now = timezone.now()
        due = now + timezone.timedelta(minutes=30)
        reminder = Reminder.objects.create(
            partnership=self.partnership,
            recipient=self.theo,
            kind=Reminder.Kind.MIDPOINT,
            dedupe_key="midpoint:test",
            due_at=due,
            failed_at=now,
            attempts=2,
            last_error=f"SMTPRecipientsRefused: {SECRET}",
        )
        Reminder.objects.create(  # sent: not listed
            partnership=self.partnership,
            recipient=self.mia,
            kind=Reminder.Kind.ACTION_PLAN_DUE,
            dedupe_key="plan:test",
            due_at=now,
            attempts=1,
            sent_at=now,
        )
        self.sign_in(self.cora)
        response = self.client.get(self.url())
        self.assertContains(response, "Reminders not delivered yet")
        self.assertContains(response, reminder.get_kind_display())
        self.assertContains(response, "2 failed, next")
        self.assertNotContains(response, "Action plan due")
        self.assertNotContains(response, SECRET)

        self.sign_in(self.carl)  # another program's coordinator sees none of it
        self.assertNotContains(
            self.client.get(self.url(self.other_program)), "Reminders not delivered yet"
        )

    def test_the_nav_links_to_the_page(self):
        self.sign_in(self.cora)
        response = self.client.get(reverse("office:roster", args=[self.program.public_id]))
        self.assertContains(response, self.url())

    def test_send_again_queues_it_under_the_same_message_id_and_records_it(self):
        self.sign_in(self.cora)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.retry_url(self.failed))
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        self.failed.refresh_from_db()
        self.assertIsNotNone(self.failed.sent_at)  # tasks run at once in these tests
        (message,) = mail.outbox
        self.assertEqual(message.extra_headers["Message-ID"], self.failed.message_id)
        event = Event.objects.get(action="outbox.retried")
        self.assertEqual((event.actor, event.program_id), (self.cora, self.program.pk))
        page = self.client.get(self.url())
        self.assertContains(page, "The email to theo@example.org will be sent again.")
        self.assertNotContains(page, "could not be delivered")

    def test_an_email_not_given_up_or_of_another_program_is_404(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.post(self.retry_url(self.sent)).status_code, 404)
        other = reverse("office:retry", args=[self.program.public_id, self.elsewhere.public_id])
        self.assertEqual(self.client.post(other).status_code, 404)
        self.assertFalse(Event.objects.filter(action="outbox.retried").exists())

    def test_a_get_retries_nothing(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.retry_url(self.failed)).status_code, 405)
        self.failed.refresh_from_db()
        self.assertIsNotNone(self.failed.gave_up_at)

    def test_partners_403_and_other_coordinators_404(self):
        for person, status in [(self.mia, 403), (self.theo, 403), (self.carl, 404)]:
            self.sign_in(person)
            self.assertEqual(self.client.get(self.url()).status_code, status, person)
            self.assertEqual(
                self.client.post(self.retry_url(self.failed)).status_code, status, person
            )
        self.failed.refresh_from_db()
        self.assertIsNotNone(self.failed.gave_up_at)
