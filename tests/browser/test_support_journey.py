"""Asking the program for help, in a real browser: Theo raises a concern from his partnership
page (without ending anything), Cora finds it in the program's queue, replies and closes it,
and Theo reads the reply. Mia, his partner, is never told.

Screenshots go to test-artifacts/screenshots/support/, at 1280 and 360 px wide.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from mentorpact.outbox.models import Email
from mentorpact.support.models import HelpRequest
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in, watch_console

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SHOTS = SCREENSHOTS / "support"
CONCERN = "Our meetings keep being cancelled at the last minute."


def both_widths(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-1280.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.screenshot(path=SHOTS / f"{name}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    return path


def test_theo_raises_a_concern_cora_replies_and_closes_it(
    page: Page, browser: Browser, live_server, personas
):
    code = personas.partnership.public_id
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "theo@example.org")
    page.goto(live_server.url + reverse("partnerships:detail", args=[code]))
    page.get_by_role("link", name="Ask the program for help").click()

    # A first try without choosing what he asks for: the error is beside the choice and
    # his words are kept.
    page.get_by_label("Your message to the program's coordinators").fill(CONCERN)
    page.get_by_role("button", name="Send to the program").click()
    # In the error summary (a link to the field) and beside the field.
    expect(
        page.locator("[data-error-summary]").get_by_role("link", name="Choose what you are ")
    ).to_be_visible()
    expect(
        page.locator(".field-error").get_by_text("Choose what you are asking for.")
    ).to_be_visible()
    expect(page.get_by_label("Your message to the program's coordinators")).to_have_value(CONCERN)
    both_widths(page, "ask-error")
    page.get_by_label("A concern").check()
    page.get_by_role("button", name="Send to the program").click()
    expect(page.get_by_text("Sent to the program's coordinators.")).to_be_visible()
    expect(page.get_by_text(CONCERN)).to_be_visible()
    both_widths(page, "theo-request")
    request = HelpRequest.objects.get()
    assert request.partnership.status == "drafting"  # nothing ended
    assert Email.objects.filter(kind="support-raised", to="cora@example.org").exists()

    context = browser.new_context(viewport=DESKTOP)
    cora = context.new_page()
    errors: list[str] = []
    watch_console(cora, errors)
    sign_in(cora, live_server, "cora@example.org")
    cora.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
    expect(cora.get_by_text("1 open")).to_be_visible()
    cora.get_by_role("link", name="Requests for help").click()
    expect(cora.get_by_text("Theo Mentee (mentee)")).to_be_visible()
    expect(cora.get_by_text(CONCERN)).to_have_count(0)  # the queue shows metadata only
    both_widths(cora, "queue")
    cora.get_by_role("link", name="A concern").click()
    expect(cora.get_by_text(CONCERN)).to_be_visible()
    cora.get_by_label("Your message").fill("Thank you for telling us. Shall we talk on Monday?")
    cora.get_by_role("button", name="Reply (emails the requester)").click()
    expect(cora.get_by_text("Reply sent: the requester is emailed.")).to_be_visible()
    cora.get_by_label("Outcome").select_option("mediated")
    cora.get_by_role("button", name="Close with this outcome").click()
    expect(cora.get_by_text("Request closed: the requester is emailed.")).to_be_visible()
    expect(cora.get_by_text("Closed: mediated")).to_be_visible()
    both_widths(cora, "closed")
    context.close()
    assert errors == []
    assert Email.objects.filter(kind="support-replied", to="theo@example.org").exists()
    assert Email.objects.filter(kind="support-closed", to="theo@example.org").exists()

    page.reload()
    expect(page.get_by_text("Shall we talk on Monday?")).to_be_visible()
    expect(page.get_by_text("Closed: mediated")).to_be_visible()

    # Mia, his partner, is not told the request exists.
    page.goto(live_server.url + reverse("accounts:login"))
    mia = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(mia, live_server, "mia@example.org")
    response = mia.goto(live_server.url + reverse("support:request", args=[request.public_id]))
    assert response is not None and response.status == 404
    mia.goto(live_server.url + reverse("support:ask", args=[code]))
    expect(mia.get_by_text("Nothing yet.")).to_be_visible()
    mia.context.close()
