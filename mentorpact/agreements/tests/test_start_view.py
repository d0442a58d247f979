"""The agreement page's "Start the agreement" button: the only way a page drafts one."""

from django.contrib.messages import get_messages
from django.urls import reverse

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements.models import Agreement
from mentorpact.agreements.tests.base import AgreementViewTestCase, make_template
from mentorpact.audit.models import Event
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.services import change_status
from mentorpact.programs.models import Enrolment, Program


class StartViewTest(AgreementViewTestCase):
    def setUp(self) -> None:
        super().setUp()
        # A second partnership of Mia and Theo, with no agreement yet.
        program = Program.objects.create(name="Second")
        set_template(program, make_template(slug="t2"))
        for user, role in (
            (self.cora, "coordinator"),
            (self.mia, "mentor"),
            (self.theo, "mentee"),
        ):
            Enrolment.objects.create(program=program, user=user, role=role)
        self.other = partnership_services.create_partnership(
            program=program, mentor=self.mia, mentee=self.theo
        )
        self.start_url = reverse("agreements:start", args=[self.other.public_id])
        self.page_url = reverse("agreements:agreement", args=[self.other.public_id])

    def test_a_partner_starts_the_draft_and_lands_on_it(self):
        self.sign_in(self.theo)
        r = self.client.post(self.start_url)
        self.assertRedirects(r, self.page_url + "#draft", fetch_redirect_response=False)
        agreement = Agreement.objects.get(partnership=self.other)
        self.assertEqual(agreement.versions.get().number, 1)
        self.assertTrue(
            Event.objects.filter(partnership_id=self.other.pk, actor=self.theo).exists()
        )
        self.assertContains(self.client.get(self.page_url), "Draft: version 1")

    def test_starting_twice_keeps_one_agreement(self):
        self.sign_in(self.theo)
        self.client.post(self.start_url)
        self.sign_in(self.mia)
        self.client.post(self.start_url)
        self.assertEqual(Agreement.objects.filter(partnership=self.other).count(), 1)

    def test_get_is_refused(self):
        self.sign_in(self.theo)
        self.assertEqual(self.client.get(self.start_url).status_code, 405)
        self.assertFalse(Agreement.objects.filter(partnership=self.other).exists())

    def test_the_coordinator_gets_403_and_no_button(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.post(self.start_url).status_code, 403)
        self.assertNotContains(self.client.get(self.page_url), self.start_url)
        self.assertFalse(Agreement.objects.filter(partnership=self.other).exists())

    def test_an_outsider_gets_404(self):
        self.sign_in(self.olive)
        self.assertEqual(self.client.post(self.start_url).status_code, 404)

    def test_a_program_without_a_template_says_so(self):
        set_template(self.other.program, None)
        self.sign_in(self.theo)
        r = self.client.post(self.start_url)
        self.assertRedirects(r, self.page_url, fetch_redirect_response=False)
        self.assertIn("has no agreement template yet", str(list(get_messages(r.wsgi_request))[0]))
        self.assertFalse(Agreement.objects.filter(partnership=self.other).exists())

    def test_a_closed_partnership_offers_no_start_and_refuses_one(self):
        change_status(partnership=self.other, to_status="ended_early", actor=self.mia)
        self.sign_in(self.theo)
        self.assertNotContains(self.client.get(self.page_url), self.start_url)
        self.client.post(self.start_url)
        self.assertFalse(Agreement.objects.filter(partnership=self.other).exists())
