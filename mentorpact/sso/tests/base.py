"""Tests against the real OpenID provider (provider.LocalProvider): a provider configured
here for a client registered there, and the person's round trip through both."""

import os
import uuid
from collections.abc import Sequence
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from mentorpact.accounts.models import User
from mentorpact.sso import services
from mentorpact.sso.models import Provider
from mentorpact.sso.tests.provider import LocalProvider
from mentorpact.test import BaseTestCase


class SsoTestCase(BaseTestCase):
    op: LocalProvider

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.op = LocalProvider.shared()

    def setUp(self) -> None:
        super().setUp()
        self.admin = User.objects.create_superuser(
            "admin@example.org", "admin-password", full_name="Ada Admin"
        )
        # Ana was invited (an account without a password) and is at the university.
        self.ana = User.objects.create_user("ana@uni.example", None, full_name="Ana Invited")
        self.ana_sub = self.op.add_user("ana@uni.example", "Ana")

    def make_provider(
        self,
        *,
        quirk: str = "",
        domains: Sequence[str] = ("uni.example",),
        sso_only: Sequence[str] = (),
        base: str = "http://testserver",
    ) -> Provider:
        """A provider configured here, its client registered at the provider with its
        callback and its secret in this process's environment."""
        client_id, secret = f"client-{uuid.uuid4().hex[:12]}", uuid.uuid4().hex
        variable = f"SSO_TEST_{uuid.uuid4().hex[:8].upper()}"
        patcher = mock.patch.dict(os.environ, {variable: secret})
        patcher.start()
        self.addCleanup(patcher.stop)
        provider = services.create_provider(
            actor=self.admin,
            name="Test University",
            issuer=self.op.issuer,
            client_id=client_id,
            secret_variable=variable,
            enabled=True,
            domains=list(domains),
            sso_only=list(sso_only),
        )
        callback = reverse("sso:callback", kwargs={"provider_id": provider.public_id})
        self.op.add_client(client_id, secret, [base + callback], quirk=quirk)
        return provider

    def begin(self, provider: Provider, next_url: str = "") -> str:
        """Start signing in here: the provider's authorization URL we are sent to."""
        response = self.client.get(
            reverse("sso:start", kwargs={"provider_id": provider.public_id}),
            {"next": next_url} if next_url else {},
        )
        self.assertEqual(response.status_code, 302, response.content[:500])
        return response["Location"]

    def round_trip(
        self, provider: Provider, email: str = "ana@uni.example", next_url: str = ""
    ) -> Any:
        """Start here, sign in at the provider, come back: our callback's response."""
        back = self.op.sign_in(self.begin(provider, next_url), email)
        return self.client.get(back)


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
