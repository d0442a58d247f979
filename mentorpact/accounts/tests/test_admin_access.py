from django.urls import reverse

from mentorpact.accounts.models import User
from mentorpact.test import PASSWORD, BaseTestCase


class AdminAccessTestCase(BaseTestCase):
    """The Django admin is for superusers only: staff status alone is not enough."""

    def setUp(self) -> None:
        super().setUp()
        self.root = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root")
        self.staff = User.objects.create_user(
            "staff@example.org", PASSWORD, full_name="Stella Staff", is_staff=True
        )
        self.index = reverse("admin:index")
        self.admin_login = reverse("admin:login")

    def test_a_superuser_gets_in(self):
        self.sign_in(self.root)
        response = self.client.get(self.index)
        self.assertContains(response, "Mentorpact administration")

    def test_a_superuser_can_open_a_model_page(self):
        self.sign_in(self.root)
        response = self.client.get(reverse("admin:accounts_user_changelist"))
        self.assertContains(response, "mia@example.org")

    def test_a_staff_member_who_is_not_a_superuser_is_refused(self):
        self.sign_in(self.staff)
        for url in [self.index, reverse("admin:accounts_user_changelist")]:
            response = self.client.get(url)
            self.assertRedirects(
                response, f"{self.admin_login}?next={url}", fetch_redirect_response=False
            )

    def test_a_staff_member_cannot_sign_in_through_the_admin_form(self):
        self.client.post(self.admin_login, {"username": "staff@example.org", "password": PASSWORD})
        response = self.client.get(self.index)
        self.assertEqual(response.status_code, 302)

    def test_a_superuser_signs_in_through_the_admin_form_with_an_email(self):
        response = self.client.post(
            self.admin_login,
            {"username": "ROOT@example.org", "password": PASSWORD, "next": self.index},
        )
        self.assertRedirects(response, self.index, fetch_redirect_response=False)
        self.assertEqual(self.client.get(self.index).status_code, 200)

    def test_a_person_of_the_program_is_refused(self):
        self.sign_in(self.cora)
        response = self.client.get(self.index)
        self.assertRedirects(
            response, f"{self.admin_login}?next={self.index}", fetch_redirect_response=False
        )
