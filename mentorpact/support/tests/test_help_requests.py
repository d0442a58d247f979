"""Asking the program for help (services): nothing ends, every step is audited, the emails
name the partnership and link to the request but never carry what was written."""

from datetime import UTC, datetime

import time_machine

from mentorpact.outbox.models import Email
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.support import services
from mentorpact.support.models import HelpMessage, HelpRequest
from mentorpact.support.services import SupportError
from mentorpact.test import BaseTestCase, events_of, kinds

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SECRET = "Mia cancels every meeting at the last minute."


@time_machine.travel(NOW, tick=False)
class RaiseRequestTest(BaseTestCase):
    def raise_concern(self, **overrides) -> HelpRequest:
        return services.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind=overrides.pop("kind", HelpRequest.Kind.CONCERN),
            message=overrides.pop("message", SECRET),
            partner_may_know=overrides.pop("partner_may_know", False),
            **overrides,
        )

    def test_it_keeps_the_message_and_ends_nothing(self):
        request = self.raise_concern()

        request.refresh_from_db()
        self.assertEqual(request.message, SECRET)
        self.assertEqual(request.requester_role, "mentee")
        self.assertTrue(request.is_open)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, Partnership.Status.DRAFTING)

    def test_it_records_an_event_without_the_message(self):
        request = self.raise_concern()

        (event,) = events_of(request, "support")
        self.assertEqual(event.action, "support.raised")
        self.assertEqual(event.actor, self.theo)
        self.assertEqual(event.partnership_id, self.partnership.pk)
        self.assertEqual(
            event.details, {"kind": "concern", "role": "mentee", "partner_may_know": False}
        )
        self.assertNotIn("Mia cancels", str(event.details))

    def test_it_emails_the_coordinators_a_link_and_not_the_message(self):
        request = self.raise_concern()

        (email,) = Email.objects.filter(kind="support-raised")
        self.assertEqual(email.to, "cora@example.org")
        self.assertEqual(email.partnership_id, self.partnership.pk)
        self.assertIn(str(request.public_id), email.body)
        self.assertIn("not agreed that their partner may be told", email.body)
        for text in (email.subject, email.body, email.html):
            self.assertNotIn("Mia cancels", text)

    def test_without_coordinators_the_program_contact_address_is_emailed(self):
        self.program.enrolments.filter(role="coordinator").delete()

        self.raise_concern()

        self.assertEqual(list(Email.objects.values_list("to", flat=True)), ["office@example.org"])

    def test_an_empty_message_is_refused_beside_its_field(self):
        with self.assertRaises(SupportError) as caught:
            self.raise_concern(message="   ")

        self.assertEqual(caught.exception.field, "message")
        self.assertFalse(HelpRequest.objects.exists())

    def test_an_unknown_kind_is_refused(self):
        with self.assertRaises(SupportError) as caught:
            self.raise_concern(kind="complaint")

        self.assertEqual(caught.exception.field, "kind")

    def test_an_outsider_cannot_ask_on_the_partnership(self):
        with self.assertRaises(SupportError):
            services.raise_request(
                partnership=self.partnership,
                user=self.olive,
                kind="concern",
                message="x",
                partner_may_know=True,
            )

    def test_a_closed_partnership_takes_no_request_and_says_where_to_write(self):
        partnership_services.change_status(
            partnership=self.partnership, to_status=Partnership.Status.ENDED_EARLY, actor=self.mia
        )

        with self.assertRaises(SupportError) as caught:
            self.raise_concern()

        self.assertIn("office@example.org", caught.exception.message)


@time_machine.travel(NOW, tick=False)
class ReplyAndCloseTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.request = services.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind=HelpRequest.Kind.REASSIGNMENT,
            message=SECRET,
            partner_may_know=True,
        )

    def test_a_coordinators_reply_emails_the_requester_a_link(self):
        message = services.add_message(request=self.request, user=self.cora, body="Let's talk.")

        self.assertTrue(message.from_program)
        (email,) = Email.objects.filter(kind="support-replied")
        self.assertEqual(email.to, "theo@example.org")
        self.assertNotIn("Let's talk", email.body + email.html + email.subject)
        self.assertEqual(kinds(events_of(self.request, "support")), ["raised", "replied"])

    def test_the_requesters_follow_up_emails_the_coordinators(self):
        services.add_message(request=self.request, user=self.theo, body="One more thing.")

        self.assertEqual(Email.objects.filter(kind="support-raised").count(), 2)
        self.assertEqual(kinds(events_of(self.request, "support")), ["raised", "followed_up"])

    def test_the_other_partner_cannot_write_on_it(self):
        with self.assertRaises(SupportError):
            services.add_message(request=self.request, user=self.mia, body="Me too.")

        self.assertFalse(HelpMessage.objects.exists())

    def test_closing_records_the_outcome_and_tells_the_requester(self):
        services.close_request(request=self.request, user=self.cora, outcome="reassigned")

        self.request.refresh_from_db()
        self.assertEqual(self.request.status, "closed")
        self.assertEqual(self.request.outcome, "reassigned")
        self.assertEqual(self.request.closed_at, NOW)
        self.assertEqual(self.request.closed_by, self.cora)
        events = events_of(self.request, "support")
        self.assertEqual(kinds(events), ["raised", "closed"])
        self.assertEqual(events.last().details, {"kind": "reassignment", "outcome": "reassigned"})
        (email,) = Email.objects.filter(kind="support-closed")
        self.assertEqual(email.to, "theo@example.org")
        self.assertIn("reassigned", email.subject)

    def test_closing_twice_is_refused(self):
        services.close_request(request=self.request, user=self.cora, outcome="resolved")

        with self.assertRaises(SupportError) as caught:
            services.close_request(request=self.request, user=self.cora, outcome="mediated")

        self.assertIn("closed already", caught.exception.message)
        self.request.refresh_from_db()
        self.assertEqual(self.request.outcome, "resolved")

    def test_a_closed_request_takes_no_more_messages(self):
        services.close_request(request=self.request, user=self.cora, outcome="mediated")

        with self.assertRaises(SupportError) as caught:
            services.add_message(request=self.request, user=self.theo, body="But...")

        self.assertEqual(caught.exception.field, "body")

    def test_only_a_coordinator_closes_it(self):
        with self.assertRaises(SupportError):
            services.close_request(request=self.request, user=self.theo, outcome="resolved")

    def test_an_unknown_outcome_is_refused(self):
        with self.assertRaises(SupportError) as caught:
            services.close_request(request=self.request, user=self.cora, outcome="shrug")

        self.assertEqual(caught.exception.field, "outcome")
