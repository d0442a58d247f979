"""Single sign-on in a real browser, through the real OpenID provider on 127.0.0.1
(mentorpact.sso.tests.provider): a site administrator adds the institution, an invited
person signs in with it, and a password for its SSO-only domain is refused."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorpact.accounts.models import User
from mentorpact.sso.models import Identity, Provider
from mentorpact.sso.tests.provider import PASSWORD as OP_PASSWORD
from mentorpact.sso.tests.provider import LocalProvider
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_an_administrator_adds_the_institution_and_an_invited_person_signs_in_with_it(
    page: Page, live_server, personas, screenshot, monkeypatch
):
    op = LocalProvider.shared()
    monkeypatch.setenv("SSO_TEST_UNIVERSITY_SECRET", "browser-test-secret")
    User.objects.create_superuser("ada@example.org", "a-long-password-1", full_name="Ada Admin")
    ana = User.objects.create_user("ana@uni.example", None, full_name="Ana Invited")
    op.add_user("ana@uni.example", "Ana")
    User.objects.create_user("una@uni.example", "una-password-1", full_name="Una Password")

    # The site administrator adds the university, as a paying customer's admin would.
    sign_in(page, live_server, "ada@example.org", "a-long-password-1")
    page.get_by_role("link", name="Single sign-on").click()
    page.get_by_role("link", name="Add a provider").click()
    page.get_by_label("Institution").fill("Test University")
    page.get_by_label("Issuer URL").fill(op.issuer)
    page.get_by_label("Client ID").fill("browser-client")
    page.get_by_label("Environment variable holding the client secret").fill(
        "SSO_TEST_UNIVERSITY_SECRET"
    )
    page.get_by_label("Email domains").fill("uni.example")
    page.get_by_label("Domains that must sign in with this provider").fill("uni.example")
    page.get_by_role("button", name="Add provider").click()
    expect(page.get_by_text("Test University is added")).to_be_visible()
    provider = Provider.objects.get(name="Test University")
    callback = live_server.url + reverse("sso:callback", kwargs={"provider_id": provider.public_id})
    expect(page.get_by_text(callback)).to_be_visible()
    expect(page.get_by_text("browser-test-secret")).to_have_count(0)
    screenshot("provider-added")
    # What the administrator does at the university's provider: register the client.
    op.add_client("browser-client", "browser-test-secret", [callback])
    page.get_by_role("button", name="Sign out").click()

    # Una's address is SSO-only: her password is refused, with the way in named.
    sign_in(page, live_server, "una@uni.example", "una-password-1")
    expect(page.get_by_role("alert").first).to_contain_text(
        "Addresses at uni.example sign in with Test University"
    )
    screenshot("password-refused")

    # Ana, invited, signs in with the university.
    page.get_by_role("link", name="Sign in with Test University").click()
    expect(page.get_by_role("heading", name="Test University")).to_be_visible()
    assert page.url.startswith(op.origin + "/login/")
    page.get_by_label("University email").fill("ana@uni.example")
    page.get_by_label("Password").fill(OP_PASSWORD)
    screenshot("at-the-provider")
    page.get_by_role("button", name="Sign in to Test University").click()
    expect(page.get_by_role("heading", name="My partnerships", level=1)).to_be_visible()
    assert page.url.startswith(live_server.url)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    screenshot("signed-in")
    assert Identity.objects.get(provider=provider).user == ana
