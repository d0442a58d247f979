from django.core import mail
from django.urls import reverse

from mentorpact.agreement_templates.selectors import chosen_template
from mentorpact.audit.models import Event
from mentorpact.programs.models import Program
from mentorpact.test import BaseTestCase

from . import own_template


class ChooseViewTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("agreement_templates:choose", args=[self.program.public_id])
        self.page = reverse("agreement_templates:program", args=[self.program.public_id])

    def choose(self, user, slug="red-peer-mentoring", **kwargs):
        self.sign_in(user)
        return self.client.post(self.url, {"template": slug}, **kwargs)

    def test_the_coordinator_chooses_a_built_in(self):
        response = self.choose(self.cora, follow=True)

        self.assertRedirects(response, self.page)
        self.assertContains(
            response, "New agreements in Peer Mentoring will be drafted from RED Peer"
        )
        self.program.refresh_from_db()
        self.assertEqual(chosen_template(self.program).slug, "red-peer-mentoring")
        event = Event.objects.get(action="template.chosen")
        self.assertEqual((event.program_id, event.actor), (self.program.pk, self.cora))
        self.assertEqual(mail.outbox, [])

    def test_with_htmx_it_answers_with_the_chooser_alone(self):
        response = self.choose(self.cora, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="template-chooser")

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, '<div id="template-chooser">')
        self.assertContains(response, "red-peer-mentoring · version 1 · built-in (read-only)")
        self.assertContains(response, "New agreements in Peer Mentoring will be drafted from")

    def test_choosing_the_template_in_use_again_changes_nothing(self):
        self.choose(self.cora)

        self.choose(self.cora)

        self.assertEqual(Event.objects.filter(action="template.chosen").count(), 1)

    def test_an_unknown_or_another_programs_template_is_refused(self):
        own_template(Program.objects.create(name="Other"), slug="theirs")
        for slug in ("nope", "theirs", ""):
            with self.subTest(slug):
                response = self.choose(self.cora, slug, follow=True)
                self.assertRedirects(response, self.page)
                self.assertContains(response, "Choose one of the templates listed.")
                self.program.refresh_from_db()
                self.assertIsNone(chosen_template(self.program))

    def test_get_is_refused(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_partners_are_refused_and_outsiders_not_found(self):
        self.assertEqual(self.choose(self.mia).status_code, 403)
        self.assertEqual(self.choose(self.olive).status_code, 404)
        self.program.refresh_from_db()
        self.assertIsNone(chosen_template(self.program))
