from django.urls import reverse

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.test import BaseTestCase, events_of


class CloneViewTest(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("agreement_templates:clone", args=[self.program.public_id])

    def clone(self, user, follow=False, **data):
        self.sign_in(user)
        data = {"template": "whprms-partnership", "slug": "peer-2027", "title": "Peer 2027", **data}
        return self.client.post(self.url, data, follow=follow)

    def test_the_copy_belongs_to_the_program_and_opens_in_the_editor(self):
        response = self.clone(self.cora, follow=True)

        self.assertRedirects(response, reverse("agreement_templates:build", args=["peer-2027"]))
        self.assertContains(response, "Peer 2027 is Peer Mentoring&#x27;s own copy")
        copy = AgreementTemplate.objects.get(slug="peer-2027")
        self.assertEqual((copy.owner_program, copy.title), (self.program, "Peer 2027"))
        self.assertTrue(events_of(copy).filter(action="template.cloned", actor=self.cora).exists())

    def test_a_bad_slug_is_shown_beside_its_field_with_the_text_kept(self):
        response = self.clone(self.cora, slug="Peer 2027!", title="My title")

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Use lowercase letters, digits and single hyphens")
        self.assertContains(response, 'value="Peer 2027!"')
        self.assertContains(response, 'value="My title"')
        self.assertFalse(AgreementTemplate.objects.filter(owner_program=self.program).exists())

    def test_a_built_ins_slug_is_taken(self):
        response = self.clone(self.cora, slug="aspe-partnership")

        self.assertContains(response, "aspe-partnership is taken: choose another name.")

    def test_get_is_refused(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_partners_are_refused_and_outsiders_not_found(self):
        self.assertEqual(self.clone(self.theo).status_code, 403)
        self.assertEqual(self.clone(self.olive).status_code, 404)
        self.assertFalse(AgreementTemplate.objects.filter(slug="peer-2027").exists())
