"""The form experience (issue 13), keyboard only: after a failed submit focus is on the error
summary, its links lead to the fields and the title says "Error: "; after an htmx save focus
is on the new content's summary or message, and the message is announced; at 320 px the
program overview's table stacks, hiding no cell and scrolling no page sideways."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import services
from mentorpact.agreements.tests.base import make_template
from mentorpact.meetings.tests.base import PILOT_AGREEMENT, install_builtin, sign_agreement
from mentorpact.partnerships.models import Partnership
from tests.browser.conftest import assert_no_horizontal_scroll, sign_in
from tests.browser.test_foundation_journeys import add_partnerships

pytestmark = pytest.mark.browser

MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def focused(page: Page) -> str:
    """The focused element, as `tag#id.class` (or its text when it has no id)."""
    return page.evaluate(
        """() => { const e = document.activeElement;
        return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
               (e.className ? '.' + String(e.className).split(' ').join('.') : ''); }"""
    )


def test_a_failed_submit_puts_focus_on_the_summary_whose_links_lead_to_each_field(
    page: Page, live_server, personas
):
    sign_in(page, live_server, "cora@example.org")
    page.goto(live_server.url + reverse("office:invite", args=[personas.program.public_id]))
    page.get_by_role("textbox", name="Email").fill("not an address")
    # A keyboard submit; without novalidate the browser would stop it with its own bubble.
    page.get_by_role("textbox", name="Email").press("Enter")
    page.wait_for_load_state()

    assert page.title().startswith("Error: ")
    assert focused(page).startswith("div#error-summary")
    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # Typed input kept; the message above the input, which it describes.
    expect(page.get_by_role("textbox", name="Email")).to_have_value("not an address")
    expect(page.get_by_role("textbox", name="Email")).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_email_error\b")
    )
    error_top = page.locator("#id_email_error").bounding_box()
    input_top = page.locator("#id_email").bounding_box()
    assert error_top and input_top and error_top["y"] < input_top["y"]
    # Only the summary is a live region.
    assert page.locator(".field-error[role=alert]").count() == 0

    page.keyboard.press("Tab")
    assert focused(page).startswith("a")
    page.keyboard.press("Enter")
    assert focused(page) == "input#id_email"

    page.get_by_role("textbox", name="Email").fill("new.person@example.org")
    page.get_by_role("textbox", name="Name", exact=True).fill("New Person")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_load_state()
    assert not page.title().startswith("Error")


@pytest.fixture
def pilot(personas):
    set_template(personas.program, install_builtin("university-pilot"))
    with time_machine.travel(MONDAY, tick=False):
        sign_agreement(personas.partnership, PILOT_AGREEMENT)
    return personas


def test_after_an_htmx_save_focus_goes_to_the_summary_or_the_announced_message(
    page: Page, live_server, pilot
):
    with time_machine.travel(MONDAY, tick=True):
        sign_in(page, live_server, "theo@example.org")
        page.goto(live_server.url + reverse("meetings:log", args=[pilot.partnership.public_id]))
        page.evaluate("window.stillTheSamePage = true")
        note = page.get_by_role("textbox", name="Note", exact=True)
        note.focus()
        page.get_by_role("button", name="Add note").click()  # empty: refused
        summary = page.locator("#notes [data-error-summary]")
        expect(summary).to_be_visible()
        expect(page.locator("#notes #error-summary")).to_be_focused()
        assert page.evaluate("window.stillTheSamePage") is True  # an htmx swap, no reload

        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert focused(page).startswith("textarea#id_body")
        page.keyboard.type("Ask about referees.")
        page.get_by_role("button", name="Add note").click()
        message = page.locator("#notes [data-focus-after-swap]")
        expect(message).to_have_text("Note added.")
        expect(message).to_be_focused()
        expect(page.locator("#notes .note-list")).to_contain_text("Ask about referees.")


def test_at_320px_the_overview_stacks_its_rows_and_hides_no_cell(page: Page, live_server, personas):
    add_partnerships(personas, 3, Partnership.Status.ACTIVE)
    sign_in(page, live_server, "cora@example.org")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
    assert_no_horizontal_scroll(page, 320)
    cells = page.locator(".overview-table tbody td")
    assert cells.count() >= 8 * 4
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('.overview-table tbody td')]
            .filter(td => td.getClientRects().length === 0 || !td.dataset.label)
            .map(td => td.outerHTML.slice(0, 80))"""
    )
    assert hidden == []
    header_words = page.evaluate(
        """() => [...document.querySelectorAll('.overview-table thead th')]
            .map(th => th.textContent.trim())"""
    )
    labels = page.evaluate(
        """() => [...document.querySelectorAll('.overview-table tbody tr:first-child td')]
            .map(td => td.dataset.label)"""
    )
    assert labels == header_words
    # Stacked: a row's cells sit one under the other.
    boxes = [cells.nth(i).bounding_box() for i in range(2)]
    assert boxes[0] and boxes[1] and boxes[1]["y"] > boxes[0]["y"]


def test_an_htmx_draft_save_with_an_error_shows_and_focuses_the_summary_on_a_phone(
    page: Page, live_server, personas
):
    set_template(personas.program, make_template("program", slug="pact-focus"))
    services.start_agreement(partnership=personas.partnership, actor=personas.mia)
    sign_in(page, live_server, "theo@example.org")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(
        live_server.url + reverse("agreements:agreement", args=[personas.partnership.public_id])
    )
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("For how many months").fill("99")
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator("#draft #error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.title().startswith("Error: ")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("For how many months")).to_be_focused()
    expect(page.get_by_label("For how many months")).to_have_value("99")

    page.get_by_label("For how many months").fill("12")
    page.get_by_role("button", name="Save draft").click()
    saved = page.locator("#draft [data-focus-after-swap]")
    expect(saved).to_have_text("Draft saved.")
    expect(saved).to_be_focused()
    expect(saved).to_be_in_viewport()
    assert not page.title().startswith("Error")
