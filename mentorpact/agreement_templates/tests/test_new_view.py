from django.urls import reverse

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.schema import load_template
from mentorpact.test import BaseTestCase, events_of


class NewTemplateViewTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("agreement_templates:new", args=[self.program.public_id])

    def post(self, slug="rsp-2027", title="Research Skills Pairing", user=None):
        self.sign_in(user or self.cora)
        return self.client.post(self.url, {"new-slug": slug, "new-title": title})

    def test_it_starts_a_template_of_the_program_with_one_section_and_opens_the_editor(self):
        response = self.post()

        template = AgreementTemplate.objects.get(slug="rsp-2027")
        self.assertRedirects(response, reverse("agreement_templates:build", args=["rsp-2027"]))
        self.assertEqual(
            (template.title, template.owner_program, template.is_builtin),
            ("Research Skills Pairing", self.program, False),
        )
        loaded = load_template(template.latest_version().source)
        self.assertEqual(
            (loaded.slug, loaded.title, len(loaded.sections)),
            ("rsp-2027", "Research Skills Pairing", 1),
        )
        self.assertEqual(template.latest_version().created_by, self.cora)
        self.assertEqual(events_of(template).filter(action="template.created").count(), 1)

    def test_a_taken_slug_is_refused_beside_the_field(self):
        response = self.post(slug="aspe-partnership")

        self.assertContains(response, "aspe-partnership is taken: choose another name.")
        self.assertContains(response, 'id="error-summary"')
        self.assertContains(response, 'value="Research Skills Pairing"')
        self.assertFalse(AgreementTemplate.objects.filter(title="Research Skills Pairing").exists())

    def test_an_empty_title_is_refused(self):
        response = self.post(title="")

        self.assertContains(response, "This field is required.")
        self.assertFalse(AgreementTemplate.objects.filter(slug="rsp-2027").exists())

    def test_get_is_refused(self):
        self.sign_in(self.cora)

        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_a_partner_is_refused(self):
        self.assertEqual(self.post(user=self.mia).status_code, 403)
        self.assertFalse(AgreementTemplate.objects.filter(slug="rsp-2027").exists())

    def test_an_outsider_gets_404(self):
        self.assertEqual(self.post(user=self.olive).status_code, 404)
