"""Personal access tokens: made on the profile page and shown once, stored hashed, scoped,
stamped with their last use, revoked at once, and rate-limited per token."""

import hashlib
import re

from django.test import override_settings

from mentorpact.accounts import services
from mentorpact.accounts.models import AccessToken
from mentorpact.test import BaseTestCase, events_of


class TokenPageTest(BaseTestCase):
    def create(self, **data):
        self.sign_in(self.cora)
        return self.client.post(
            "/accounts/profile/tokens/", {"name": "HR sync", "scope": "write"} | data
        )

    def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(self):
        response = self.create()

        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        raw = re.search(rb"mpt_[A-Za-z0-9_-]{40,}", response.content).group().decode()
        token = AccessToken.objects.get()
        self.assertEqual((token.user, token.name, token.scope), (self.cora, "HR sync", "write"))
        self.assertEqual(token.digest, hashlib.sha256(raw.encode()).hexdigest())
        self.assertNotIn(raw, str(AccessToken.objects.values().get()))
        # Seen again, the page lists it by name and prefix, never the token.
        again = self.client.get("/accounts/profile/")
        self.assertContains(again, "HR sync")
        self.assertContains(again, token.prefix)
        self.assertNotContains(again, raw)
        self.assertEqual(events_of(self.cora).last().action, "accounts.token_created")

    def test_a_nameless_token_is_refused_beside_the_field(self):
        response = self.create(name="")

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "This field is required", status_code=400)
        self.assertFalse(AccessToken.objects.exists())

    def test_revoking_stops_the_token_at_once(self):
        token, raw = services.create_access_token(user=self.cora, name="Old", scope="read")
        headers = {"Authorization": f"Bearer {raw}"}
        self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 200)
        self.sign_in(self.cora)

        response = self.client.post(f"/accounts/profile/tokens/{token.public_id}/revoke/")

        self.assertRedirects(response, "/accounts/profile/")
        self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 401)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
        self.assertEqual(events_of(self.cora).last().action, "accounts.token_revoked")

    def test_someone_elses_token_is_not_found(self):
        token, _raw = services.create_access_token(user=self.cora, name="Cora's", scope="read")
        self.sign_in(self.mia)

        response = self.client.post(f"/accounts/profile/tokens/{token.public_id}/revoke/")

        self.assertEqual(response.status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)


class TokenUseTest(BaseTestCase):
    def test_a_use_stamps_the_token(self):
        token, raw = services.create_access_token(user=self.mia, name="Mine", scope="read")
        self.assertIsNone(token.last_used_at)

        self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

        token.refresh_from_db()
        self.assertIsNotNone(token.last_used_at)

    def test_a_read_token_is_refused_a_write(self):
        _token, raw = services.create_access_token(user=self.cora, name="Reports", scope="read")

        response = self.client.post(
            f"/api/v1/programs/{self.program.public_id}/invitations",
            {"email": "nina@example.org", "full_name": "Nina New", "role": "mentee"},
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

        self.assertEqual(response.status_code, 403)
        self.assertIn("only read", response.json()["detail"])

    def test_a_made_up_token_is_unauthorized(self):
        response = self.client.get("/api/v1/me", headers={"Authorization": "Bearer mpt_nope"})

        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="api"')

    def test_a_signed_in_browser_without_a_token_is_unauthorized(self):
        # The API takes tokens only: a session cookie is no way in (and so needs no CSRF).
        self.sign_in(self.cora)

        self.assertEqual(self.client.get("/api/v1/me").status_code, 401)

    @override_settings(API_RATE_LIMIT=3, API_RATE_WINDOW_SECONDS=60)
    def test_past_its_rate_a_token_waits_and_other_tokens_do_not(self):
        _token, raw = services.create_access_token(user=self.cora, name="Busy", scope="read")
        _other, other = services.create_access_token(user=self.cora, name="Calm", scope="read")
        busy = {"Authorization": f"Bearer {raw}"}

        statuses = [self.client.get("/api/v1/me", headers=busy).status_code for _ in range(4)]

        self.assertEqual(statuses, [200, 200, 200, 429])
        refused = self.client.get("/api/v1/me", headers=busy)
        self.assertGreater(int(refused["Retry-After"]), 0)
        calm = self.client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"})
        self.assertEqual(calm.status_code, 200)

    @override_settings(API_RATE_LIMIT=2, API_RATE_WINDOW_SECONDS=60)
    def test_a_new_window_starts_once_the_last_one_is_over(self):
        import time_machine

        _token, raw = services.create_access_token(user=self.cora, name="Busy", scope="read")
        headers = {"Authorization": f"Bearer {raw}"}
        with time_machine.travel("2027-03-01 09:00:00Z", tick=False) as traveller:
            for _ in range(2):
                self.client.get("/api/v1/me", headers=headers)
            self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 429)
            traveller.shift(61)
            self.assertEqual(self.client.get("/api/v1/me", headers=headers).status_code, 200)
