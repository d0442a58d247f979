from django.test import Client
from django.urls import reverse

from mentorpact.test import PASSWORD, BaseTestCase


class PasswordChangeTestCase(BaseTestCase):
    url = reverse("accounts:password_change")

    def test_changing_the_password_ends_other_sessions_and_keeps_this_one(self):
        other = Client()
        other.force_login(self.theo)
        mine = reverse("partnerships:mine")
        self.assertEqual(other.get(mine).status_code, 200)
        self.sign_in(self.theo)
        response = self.client.post(
            self.url,
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-passphrase-42",
                "new_password2": "a-new-long-passphrase-42",
            },
        )
        self.assertRedirects(response, reverse("accounts:profile"))
        self.assertEqual(self.client.get(mine).status_code, 200)
        self.assertEqual(other.get(mine).status_code, 302)  # signed out
        self.theo.refresh_from_db()
        self.assertTrue(self.theo.check_password("a-new-long-passphrase-42"))

    def test_a_wrong_current_password_is_refused_beside_the_field(self):
        self.sign_in(self.theo)
        response = self.client.post(
            self.url,
            {
                "old_password": "nope",
                "new_password1": "x1y2z3w4v5u6",
                "new_password2": "x1y2z3w4v5u6",
            },
        )
        self.assertContains(response, 'id="id_old_password_error"')
        self.theo.refresh_from_db()
        self.assertTrue(self.theo.check_password(PASSWORD))
