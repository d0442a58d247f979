"""Cora connects the program's HR system: she makes an API token on her profile (shown
once), the token reads her program over the API, the interactive docs load from our own
origin under our CSP (no console error), and she registers a webhook endpoint that gets a
signed delivery when a partnership ends."""

import json
import re
import time
import urllib.request

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from mentorpact.partnerships import services as partnership_services
from mentorpact.webhooks import sender, signing
from mentorpact.webhooks.tests.receiver import Receiver
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@override_settings(WEBHOOK_ALLOW_LOOPBACK=True)  # the receiver is on 127.0.0.1
def test_cora_connects_the_programs_systems(page, live_server, personas, screenshot):
    sign_in(page, live_server, personas.cora.email)
    page.goto(live_server.url + reverse("accounts:profile"))
    page.get_by_label("Token name").fill("HR sync")
    page.get_by_label("What it may do").select_option("read")
    page.get_by_role("button", name="Create a token").click()
    page.wait_for_load_state()
    token = page.locator("code.token").inner_text().strip()
    assert re.fullmatch(r"mpt_[\w-]{40,}", token)
    screenshot("token-shown-once")

    request = urllib.request.Request(  # noqa: S310 (the live server on 127.0.0.1)
        f"{live_server.url}/api/v1/programs", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        programs = json.load(response)
    assert [p["name"] for p in programs["items"]] == ["Peer Mentoring"]
    # Opened again (not reloaded: the token was shown in the POST's answer, never stored),
    # the page names the token and no longer shows it.
    page.goto(live_server.url + reverse("accounts:profile"))
    assert token not in page.content()
    assert page.get_by_role("cell", name=re.compile("^HR sync")).is_visible()

    page.goto(live_server.url + "/api/v1/docs")
    page.get_by_text("Mentorpact API").first.wait_for(timeout=30_000)
    page.get_by_text("/api/v1/programs/{program_id}/roster").first.wait_for()
    screenshot("interactive-docs")

    receiver = Receiver().start()
    try:
        page.goto(live_server.url + reverse("webhooks:program", args=[personas.program.public_id]))
        page.get_by_label("Endpoint address").fill(receiver.url)
        page.get_by_label("A partnership's status changed").check()
        page.get_by_role("button", name="Add the endpoint").click()
        page.wait_for_load_state()
        secret = page.locator("code.token").inner_text().strip()
        screenshot("endpoint-added")

        partnership_services.change_status(
            partnership=personas.partnership, to_status="ended_early", actor=personas.cora
        )
        assert sender.send_due()["sent"] == 1
        [got] = receiver.received
        assert signing.verify(
            secret,
            got.headers["Mentorpact-Signature"],
            got.body,
            now=int(time.time()),
            tolerance=settings.WEBHOOK_TOLERANCE_SECONDS,
        )
    finally:
        receiver.stop()
    page.goto(live_server.url + reverse("webhooks:program", args=[personas.program.public_id]))
    assert secret not in page.content()
    assert page.get_by_text("Delivered").is_visible()
    screenshot("delivery-log")
