from mentorpact.agreements import services
from mentorpact.agreements.tests.base import AgreementViewTestCase


class HistoryViewTestCase(AgreementViewTestCase):
    def test_it_lists_every_version_with_what_changed(self):
        first = self.sign_by_both()
        services.propose_amendment(agreement=self.agreement, user=self.theo)
        self.save(self.mia, {"frequency": "Monthly, in person"})
        self.sign_in(self.theo)
        r = self.client.get(self.url("history"))
        self.assertContains(r, "Version 2")
        self.assertContains(r, "Version 1")
        self.assertContains(r, "Changed from version 1")
        self.assertContains(r, "Monthly, in person")
        self.assertContains(r, "Every two weeks")  # the before
        self.assertContains(r, first.content_sha256)

    def test_it_shows_every_event_to_both_partners(self):
        self.sign_by_both()
        for partner in (self.mia, self.theo):
            self.sign_in(partner)
            r = self.client.get(self.url("history"))
            self.assertContains(r, "Drafted from the template")
            self.assertContains(r, "Signed as the mentee")
            self.assertContains(r, "Consent to sign electronically given")
            self.assertContains(r, "Agreement in effect: version 1")

    def test_a_voided_signature_is_shown_struck_through_with_why(self):
        signed = self.complete()
        self.sign(self.theo, signed)
        self.save(self.mia, {"frequency": "Changed"})
        self.sign_in(self.theo)
        r = self.client.get(self.url("history"))
        self.assertContains(r, "<del>Theo Mentee (mentee) signed", html=False)
        self.assertContains(r, "voided: Mia Mentor edited the agreement after it was signed.")

    def test_values_are_escaped(self):
        self.save(self.theo, {"frequency": "<b>bold</b>"})
        self.sign_in(self.theo)
        r = self.client.get(self.url("history"))
        self.assertNotContains(r, "<b>bold</b>")
        self.assertContains(r, "&lt;b&gt;bold&lt;/b&gt;")

    def test_queries_do_not_grow_with_versions(self):
        self.sign_in(self.theo)
        self.client.get(self.url("history"))  # warm caches (template parsing, session)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url("history"))
        for n in range(4):
            self.save(self.mia, {"frequency": f"Edit {n}"})
        self.sign_by_both()
        services.propose_amendment(agreement=self.agreement, user=self.theo)
        with CaptureQueriesContext(connection) as many:
            self.client.get(self.url("history"))
        self.assertLessEqual(len(many), len(few) + 2, [q["sql"] for q in many])

    def test_the_coordinator_gets_403(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url("history")).status_code, 403)
