"""Support's view of the outbox: rows without their bodies, and "retry" for given-up ones."""

from django.urls import reverse
from django.utils import timezone

from mentorpact.audit.models import Event
from mentorpact.lib.emails import Rendered
from mentorpact.outbox import services
from mentorpact.outbox.models import Email
from mentorpact.test import PASSWORD, BaseTestCase

BODY = "Theo's goals: finish the thesis"


class EmailAdminTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.ada = self.make_admin()
        self.email = services.enqueue(
            key="agreement-signed:1:1",
            kind="agreement-signed",
            to="theo@example.org",
            rendered=Rendered(subject="Signed", body=BODY, html=f"<p>{BODY}</p>"),
            program_id=self.program.pk,
        )
        Email.objects.filter(pk=self.email.pk).update(gave_up_at=timezone.now(), attempts=5)
        self.client.force_login(self.ada)

    def make_admin(self):
        from mentorpact.accounts.models import User

        return User.objects.create_superuser("ada@example.org", PASSWORD, full_name="Ada Admin")

    def test_support_sees_the_row_but_not_its_body(self):
        response = self.client.get(reverse("admin:outbox_email_change", args=[self.email.pk]))
        self.assertContains(response, "theo@example.org")
        self.assertNotContains(response, BODY)

    def test_the_retry_action_sends_a_given_up_email_again_and_records_it(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:outbox_email_changelist"),
                {"action": "retry", "_selected_action": [self.email.pk]},
                follow=True,
            )
        self.assertContains(response, "1 email(s) queued to be sent again.")
        self.email.refresh_from_db()
        self.assertIsNone(self.email.gave_up_at)
        event = Event.objects.get(action="outbox.retried")
        self.assertEqual(event.actor, self.ada)

    def test_a_coordinator_is_no_admin(self):
        self.client.force_login(self.cora)
        response = self.client.post(
            reverse("admin:outbox_email_changelist"),
            {"action": "retry", "_selected_action": [self.email.pk]},
        )
        self.assertEqual(response.status_code, 302)  # to the admin's sign-in
        self.email.refresh_from_db()
        self.assertIsNotNone(self.email.gave_up_at)
