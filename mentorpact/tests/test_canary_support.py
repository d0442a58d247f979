"""A request for help is read by its requester and the program's coordinators, on the
request's own page, and nowhere else: a canary planted in Theo's message, Cora's reply and
Theo's follow-up never appears on any page or fragment Mia (his partner) can reach, on any
page Cora can reach other than the request's own, in any email, or in the audit trail.

The walk: every URL pattern of the project with the access matrix's arguments, by GET (plain
and as htmx fragments) and with the matrix's POST, as Mia and as Cora.
"""

from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.outbox.models import Email
from mentorpact.support import services
from mentorpact.support.models import HelpRequest
from mentorpact.test import BaseTestCase
from mentorpact.tests.canary import CanaryWalk

CANARY = "CANARY-help-5e0a1"
# The one page where the program reads what the requester wrote (by design), also as a
# refused close shows it again with its error.
COORDINATOR_READS = {"support:request", "support:close"}


class HelpRequestsStayWithTheProgramTest(CanaryWalk, BaseTestCase):
    def setUp(self):
        super().setUp()
        with self.captureOnCommitCallbacks(execute=True):
            # The access matrix's probes use this request (tests/access.py).
            self.support_request = services.raise_request(
                partnership=self.partnership,
                user=self.theo,
                kind=HelpRequest.Kind.INTERVENTION,
                message=f"Message {CANARY}",
                partner_may_know=False,
            )
            services.add_message(
                request=self.support_request, user=self.cora, body=f"Reply {CANARY}"
            )
            services.add_message(
                request=self.support_request, user=self.theo, body=f"Follow-up {CANARY}"
            )

    def test_mia_never_sees_what_theo_asked_or_was_told(self):
        reached, leaks = self.walk(self.mia, (CANARY,))

        self.assertEqual(leaks, [])
        self.assertIn("support:ask", reached)
        self.assertIn("partnerships:detail", reached)

    def test_cora_reads_it_on_the_request_page_only(self):
        reached, leaks = self.walk(self.cora, (CANARY,), allowed=COORDINATOR_READS)

        self.assertEqual(leaks, [])
        for page in ("support:queue", "programs:overview", "partnerships:detail"):
            self.assertIn(page, reached)
        # The canary is really there, on the page meant for it.
        page = self.client.get(reverse("support:request", args=[self.support_request.public_id]))
        self.assertContains(page, f"Message {CANARY}")
        self.assertContains(page, f"Reply {CANARY}")
        self.assertContains(page, f"Follow-up {CANARY}")

    def test_no_email_and_no_audit_event_carries_it(self):
        emails = list(Email.objects.filter(kind__startswith="support-"))
        self.assertEqual(len(emails), 3)  # raised, replied, followed up
        for email in emails:
            with self.subTest(kind=email.kind, to=email.to):
                self.assertNotIn(CANARY, email.subject + email.body + email.html)
        details = [str(e.details) for e in Event.objects.filter(action__startswith="support.")]
        self.assertEqual(len(details), 3)
        self.assertFalse([d for d in details if CANARY in d])
