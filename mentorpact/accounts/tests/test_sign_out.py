from django.urls import reverse

from mentorpact.test import BaseTestCase


class SignOutTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("accounts:logout")
        self.sign_in(self.mia)

    def test_it_signs_out_on_post(self):
        response = self.client.post(self.url)
        self.assertRedirects(response, reverse("accounts:login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_get_and_stays_signed_in(self):
        # A link (or an image tag on another site) must not sign anyone out.
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 405)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.mia.pk)

    def test_every_page_offers_a_sign_out_form_that_posts(self):
        response = self.client.get(reverse("partnerships:mine"))
        self.assertContains(response, f'<form method="post" action="{self.url}"')
