"""The site administrator's Single sign-on pages: the list, adding a provider, editing one."""

import os
from unittest import mock

from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.sso.models import Domain, Provider
from mentorpact.sso.tests.base import SsoTestCase


class ProvidersPageTests(SsoTestCase):
    def form(self, **changes) -> dict:
        return {
            "name": "North University",
            "issuer": self.op.issuer,
            "client_id": "north-client",
            "secret_variable": "SSO_NORTH_SECRET",
            "domains": "north.example\n@Staff.North.example",
            "sso_only": "staff.north.example",
            "enabled": "on",
        } | changes

    def test_only_site_administrators_see_the_pages(self):
        self.client.force_login(self.cora)
        self.assertEqual(self.client.get(reverse("sso:providers")).status_code, 403)
        self.assertEqual(self.client.get(reverse("sso:new_provider")).status_code, 403)

    def test_an_administrator_adds_a_provider(self):
        self.client.force_login(self.admin)
        with mock.patch.dict(os.environ, {"SSO_NORTH_SECRET": "s3cret-value"}):
            response = self.client.post(reverse("sso:new_provider"), self.form())
        provider = Provider.objects.get(name="North University")
        self.assertRedirects(
            response, reverse("sso:provider", kwargs={"provider_id": provider.public_id})
        )
        self.assertEqual(
            {(d.domain, d.sso_only) for d in Domain.objects.all()},
            {("north.example", False), ("staff.north.example", True)},
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "SSO_NORTH_SECRET")
        self.assertNotContains(page, "s3cret-value")
        self.assertContains(page, f"/sso/{provider.public_id}/callback/")
        listing = self.client.get(reverse("sso:providers"))
        self.assertContains(listing, "staff.north.example (single sign-on only)")
        event = Event.objects.get(action="sso.provider_created")
        self.assertEqual(event.actor, self.admin)

    def test_problems_are_shown_beside_their_fields_with_what_was_typed(self):
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("sso:new_provider"),
            self.form(
                issuer="http://login.north.example/",
                secret_variable="SSO_NOT_SET_ANYWHERE",
                domains="north.example\nnot a domain!",
                sso_only="south.example",
            ),
        )
        self.assertContains(response, "Use the provider&#x27;s https:// address", status_code=400)
        self.assertContains(response, "SSO_NOT_SET_ANYWHERE is not set", status_code=400)
        self.assertContains(response, "Not an email domain: not, a, domain!", status_code=400)
        self.assertContains(response, "Not among this provider", status_code=400)
        self.assertContains(response, 'value="North University"', status_code=400)
        self.assertFalse(Provider.objects.filter(name="North University").exists())

    def test_an_issuer_without_a_discovery_document_is_refused(self):
        self.client.force_login(self.admin)
        with mock.patch.dict(os.environ, {"SSO_NORTH_SECRET": "x"}):
            response = self.client.post(
                reverse("sso:new_provider"), self.form(issuer=self.op.origin + "/nothing")
            )
        self.assertContains(response, "answered HTTP 404", status_code=400)

    def test_a_domain_of_another_provider_is_refused(self):
        self.make_provider(domains=["north.example"])
        self.client.force_login(self.admin)
        with mock.patch.dict(os.environ, {"SSO_NORTH_SECRET": "x"}):
            response = self.client.post(reverse("sso:new_provider"), self.form())
        self.assertContains(
            response, "north.example already signs in with Test University", status_code=400
        )

    def test_an_edit_saves_and_a_stale_one_is_refused_keeping_what_was_typed(self):
        provider = self.make_provider()
        url = reverse("sso:provider", kwargs={"provider_id": provider.public_id})
        self.client.force_login(self.admin)
        data = self.form(
            issuer=provider.issuer,
            client_id=provider.client_id,
            secret_variable=provider.secret_variable,
            domains="uni.example",
            sso_only="uni.example",
            version=provider.version,
        )
        self.assertRedirects(self.client.post(url, data), url)
        provider.refresh_from_db()
        self.assertEqual((provider.name, provider.version), ("North University", 2))
        self.assertTrue(Domain.objects.get(domain="uni.example").sso_only)
        event = Event.objects.get(action="sso.provider_changed")
        self.assertEqual(event.details["fields"], ["name", "domains"])

        stale = self.client.post(url, data | {"name": "Old Page University"})
        self.assertContains(stale, "Someone else saved this provider", status_code=409)
        self.assertContains(stale, 'value="Old Page University"', status_code=409)
        provider.refresh_from_db()
        self.assertEqual(provider.name, "North University")
        # Told, they save again: now it goes through.
        again = self.client.post(url, data | {"name": "Old Page University", "version": 2})
        self.assertRedirects(again, url)

    def test_a_provider_that_no_longer_answers_can_still_be_switched_off(self):
        provider = self.make_provider()
        gone = self.op.origin + "/gone"
        Provider.objects.filter(pk=provider.pk).update(issuer=gone)
        url = reverse("sso:provider", kwargs={"provider_id": provider.public_id})
        self.client.force_login(self.admin)
        data = self.form(
            issuer=gone,
            client_id=provider.client_id,
            secret_variable="SSO_REMOVED_FROM_THE_ENVIRONMENT",
            domains="uni.example",
            sso_only="",
            version=provider.version,
        )
        data.pop("enabled")
        self.assertRedirects(self.client.post(url, data), url)
        provider.refresh_from_db()
        self.assertFalse(provider.enabled)
        # Switching it on again asks the provider, and says what it answered.
        response = self.client.post(url, data | {"enabled": "on", "version": provider.version})
        self.assertContains(response, "answered HTTP 404", status_code=400)

    def test_the_list_costs_the_same_for_one_provider_and_five(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def add(i: int) -> None:
            provider = Provider.objects.create(
                name=f"University {i}",
                issuer=f"https://login{i}.example",
                client_id="c",
                secret_variable="S",
            )
            Domain.objects.create(provider=provider, domain=f"u{i}.example")
            Domain.objects.create(provider=provider, domain=f"staff.u{i}.example", sso_only=True)

        self.client.force_login(self.admin)
        add(0)
        with CaptureQueriesContext(connection) as one:
            self.assertContains(self.client.get(reverse("sso:providers")), "University 0")
        for i in range(1, 5):
            add(i)
        with CaptureQueriesContext(connection) as five:
            self.assertContains(self.client.get(reverse("sso:providers")), "University 4")
        self.assertEqual(len(one), len(five))
