"""The confidentiality exceptions' texts reach only those entitled to them: a canary planted
in an agreed disclosure (who, the boundaries, the issue), its use (to whom, the note) and a
serious-danger disclosure (to whom, why) never appears on any page or fragment a coordinator
who is not the safeguarding contact can reach, nor in any email; the mentee never sees the
serious-danger record's; the safeguarding contact reads it on its own page only.

The walk: every URL pattern with the access matrix's arguments (GET plain and as htmx, and
the matrix's POST), as each person.
"""

from datetime import date

from django.urls import reverse

from mentorpact.confidentiality import services
from mentorpact.confidentiality.tests.base import on_the_pilot
from mentorpact.outbox.models import Email
from mentorpact.programs.models import Enrolment
from mentorpact.test import BaseTestCase, make_user
from mentorpact.tests.canary import CanaryWalk

AGREED = "CANARY-agreed-7b2"
DANGER = "CANARY-danger-c91"
CONTACT_READS = {"confidentiality:danger_record", "confidentiality:mentee_told"}


class ConfidentialityExceptionsStayWithTheEntitledTest(CanaryWalk, BaseTestCase):
    def setUp(self):
        super().setUp()
        on_the_pilot(self, contact=False)
        self.sam = make_user("sam@example.org", "Sam Safeguarding")
        Enrolment.objects.create(program=self.program, user=self.sam, role="coordinator")
        with self.captureOnCommitCallbacks(execute=True):
            services.set_safeguarding_contact(program=self.program, actor=self.cora, user=self.sam)
            disclosure = services.propose_agreed_disclosure(
                partnership=self.partnership,
                user=self.theo,
                person=f"Person {AGREED}",
                boundaries=f"Boundaries {AGREED}",
                issue=f"Issue {AGREED}",
            )
            disclosure = services.agree_disclosure(disclosure=disclosure, user=self.mia)
            services.log_use(
                disclosure=disclosure,
                user=self.mia,
                used_on=date.today(),
                to_whom=f"To {AGREED}",
                note=f"Note {AGREED}",
            )
            danger = services.record_danger_disclosure(
                partnership=self.partnership,
                user=self.mia,
                disclosed_to=f"Disclosed to {DANGER}",
                reason=f"Reason {DANGER}",
            )
        # The access matrix's probes use these (confidentiality/tests/access.py).
        self.confidentiality_pilot = True
        self.confidentiality_disclosure = disclosure
        self.confidentiality_danger = danger

    def test_cora_a_coordinator_but_not_the_contact_sees_none_of_it(self):
        reached, leaks = self.walk(self.cora, (AGREED, DANGER))

        self.assertEqual(leaks, [])
        for page in ("confidentiality:contact", "programs:overview", "partnerships:detail"):
            self.assertIn(page, reached)

    def test_theo_the_mentee_never_sees_the_serious_danger_record(self):
        reached, leaks = self.walk(self.theo, (DANGER,))

        self.assertEqual(leaks, [])
        self.assertIn("confidentiality:page", reached)
        page = self.client.get(reverse("confidentiality:page", args=[self.partnership.public_id]))
        self.assertContains(page, f"Note {AGREED}")  # the pair's: he sees the agreed ones

    def test_sam_the_contact_reads_the_record_on_its_page_only(self):
        _reached, leaks = self.walk(self.sam, (AGREED, DANGER), allowed=CONTACT_READS)

        self.assertEqual(leaks, [])
        url = reverse("confidentiality:danger_record", args=[self.confidentiality_danger.public_id])
        self.assertContains(self.client.get(url), f"Reason {DANGER}")

    def test_no_email_carries_any_of_it(self):
        (alert,) = Email.objects.filter(kind="confidentiality-danger")
        self.assertEqual(alert.to, "sam@example.org")
        for email in Email.objects.all():
            for canary in (AGREED, DANGER):
                self.assertNotIn(canary, email.subject + email.body + email.html)
