"""Keyboard only (issue 13, "Done when"): Theo signs in, fills the university pilot's
agreement section by section, saves one section with an error, reaches the error by the
summary's link, fixes it, changes a section from "check your answers" and signs; once Mia has
signed, he schedules a meeting and writes a note. Every action is a key press (Tab, typing,
Enter, Space); the only other moves are page.goto to the page a step starts from (as a
bookmark would). At each step `document.activeElement` is asserted to be where the person
should be: the step's heading after a page of the steps loads, the error summary after a
refused save, the field after its summary link, the saved message after an htmx save.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import selectors as agreement_selectors
from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import draft_of
from mentorpact.meetings.models import Meeting, Note
from mentorpact.meetings.tests.base import PILOT_AGREEMENT, install_builtin
from mentorpact.test import PASSWORD
from tests.browser.conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
MAX_TABS = 60  # more presses than this to reach something is a defect of the page


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    # Typed dates and times follow the browser's locale: en-US is month/day/year, 12-hour.
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1024, "height": 800}}


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: 'body', id: '', name: ''};
  let name = e.getAttribute('aria-label') || '';
  if (!name && e.labels && e.labels.length) name = e.labels[0].textContent;
  if (!name) name = e.textContent || e.value || '';
  return {tag: e.tagName.toLowerCase(), id: e.id, name: name.replace(/\\s+/g, ' ').trim()};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, name: str | re.Pattern, *, tag: str | None = None) -> dict:
    """Press Tab until the focused element's name (its label, or its text) matches, as a
    keyboard user moves through a page; fail after MAX_TABS presses."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        matches = (
            re.search(name, now["name"]) if isinstance(name, re.Pattern) else now["name"] == name
        )
        if matches and (tag is None or now["tag"] == tag):
            return now
    raise AssertionError(f"{MAX_TABS} Tabs did not reach {name!r} on {page.url}")


def assert_focus(page: Page, *, id: str | None = None, tag: str | None = None) -> None:
    now = focused(page)
    if id is not None:
        assert now["id"] == id, f"focus is on {now}, not #{id} ({page.url})"
    if tag is not None:
        assert now["tag"] == tag, f"focus is on {now}, not a {tag} ({page.url})"


def press(page: Page, key: str) -> None:
    """A key that leads to a new page (Enter on a link or a submit button)."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def mia_fills_her_part(partnership) -> None:
    agreement = agreement_services.start_agreement(
        partnership=partnership, actor=partnership.mentor
    )
    agreement_services.save_draft(
        agreement=agreement,
        user=partnership.mentor,
        values=PILOT_AGREEMENT["mentor"],
        based_on_revision=draft_of(agreement).revision,
    )


def mia_signs(partnership) -> None:
    mia = partnership.mentor
    agreement = agreement_selectors.latest_agreement(partnership)
    version = draft_of(agreement)
    agreement_services.give_esign_consent(
        user=mia, agreement=agreement, ip="127.0.0.1", user_agent="test"
    )
    agreement_services.sign_agreement(
        version=version,
        user=mia,
        typed_name=mia.full_name,
        intent_statement=agreement_selectors.signing_statement(
            version=version, user=mia, role="mentor"
        ),
        ip="127.0.0.1",
        user_agent="test",
        content_sha256_shown=version.content_sha256,
        revision_shown=version.revision,
    )


def fits_a_phone(page: Page) -> None:
    """At 320 px the page does not scroll sideways; then back to the desktop width."""
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page, 320)
    page.set_viewport_size({"width": 1024, "height": 800})


def next_step(page: Page, heading: str, button: str = "Save and continue") -> None:
    """From a step page, Tab to its button and press Enter: the next step's page opens with
    focus on its heading."""
    tab_to(page, button, tag="button")
    press(page, "Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_focus(page, tag="h1")


def test_theo_fills_and_signs_the_agreement_schedules_a_meeting_and_writes_a_note_by_keyboard(
    page: Page, live_server, personas, screenshot
):
    partnership = personas.partnership
    code = partnership.public_id
    set_template(personas.program, install_builtin("university-pilot"))
    with time_machine.travel(MONDAY, tick=True):
        mia_fills_her_part(partnership)

        # --- Sign in: focus starts in the email field.
        page.goto(live_server.url + reverse("accounts:login"))
        assert_focus(page, id="id_username")  # the email address, autofocused
        page.keyboard.type("theo@example.org")
        page.keyboard.press("Tab")
        assert_focus(page, id="id_password")
        page.keyboard.type(PASSWORD)
        press(page, "Enter")

        # --- The task list: every section, each with its state.
        page.goto(live_server.url + reverse("agreements:steps", args=[code]))
        expect(page.locator("#task-confidentiality-state")).to_have_text("Not started")
        expect(page.locator("#task-goals-state")).to_have_text("Not started")
        expect(page.locator("#task-activity_log-state")).to_have_text("Complete")
        screenshot("01-task-list")
        fits_a_phone(page)
        tab_to(page, "1. Confidentiality", tag="a")
        press(page, "Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Confidentiality")
        assert_focus(page, id="confidentiality-heading")

        # --- Section 1: the next Tab is Theo's own acceptance (Mia's is hers, and disabled).
        page.keyboard.press("Tab")
        assert_focus(page, id="f-confidentiality-mentee")
        page.keyboard.press("Space")
        expect(page.locator("#f-confidentiality-mentee")).to_be_checked()
        next_step(page, "Frequency and Location of Meetings")
        expect(page.get_by_text("Saved “Confidentiality”.")).to_be_visible()

        # --- Section 2: a number out of range, refused.
        page.keyboard.press("Tab")
        assert_focus(page, id="f-meeting_count")
        page.keyboard.type("500")
        tab_to(page, "Save and continue", tag="button")
        press(page, "Enter")
        assert page.title().startswith("Error: ")
        assert_focus(page, id="error-summary")
        screenshot("02-error")
        fits_a_phone(page)
        assert_focus(page, id="error-summary")  # resizing moved nothing
        # The summary's link leads to the field, the typed text kept.
        page.keyboard.press("Tab")
        link = focused(page)
        assert link["tag"] == "a" and link["name"].startswith("Minimum number of meetings")
        page.keyboard.press("Enter")
        assert_focus(page, id="f-meeting_count")
        expect(page.locator("#f-meeting_count")).to_have_value("500")
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type("6")
        next_step(page, "Communication")

        # --- Sections 3 to 7: read, some left as they are, on to the next.
        for heading in (
            "Feedback and reflection",
            "Recording meetings and progress: Activity Log",
            "Closing the Relationship",
            "Other",
            "Mentee goals",
        ):
            next_step(page, heading, button="Continue" if _text_only(page) else "Save and continue")

        # --- Section 8: the mentee's two goals, each with its measure.
        for input_id, text in (
            ("f-mentee_goals-0-goal", "Submit my first grant proposal"),
            ("f-mentee_goals-0-measure", "It is submitted"),
            ("f-mentee_goals-1-goal", "Build a network in my field"),
            ("f-mentee_goals-1-measure", "Three new contacts"),
        ):
            page.keyboard.press("Tab")
            assert_focus(page, id=input_id)
            page.keyboard.type(text)
        next_step(page, "Signatures")

        # --- The last section has nothing to fill in: Continue leads to "check your
        # answers", since nothing stops signing now.
        tab_to(page, "Continue", tag="button")
        press(page, "Enter")
        expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
        expect(page.get_by_text("Submit my first grant proposal")).to_be_visible()
        # The fingerprint is behind "Technical details", closed.
        expect(page.locator("details.tech-details")).not_to_have_attribute("open", "")
        expect(page.locator("details.tech-details code.hash")).to_be_hidden()
        fits_a_phone(page)

        # --- A change from "check your answers" comes back to it.
        tab_to(page, "Change Other", tag="a")
        press(page, "Enter")
        assert_focus(page, id="other-heading")
        page.keyboard.press("Tab")
        assert_focus(page, tag="textarea")
        page.keyboard.type("We will meet in the library café.")
        tab_to(page, "Save and return to check your answers", tag="button")
        press(page, "Enter")
        expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
        expect(page.get_by_text("We will meet in the library café.")).to_be_visible()
        screenshot("03-check-your-answers")

        # --- Sign: consent by Space, the name typed, Enter.
        tab_to(page, re.compile(r"^I agree to do business electronically"), tag="input")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        assert_focus(page, id="id_typed_name")
        page.keyboard.type(personas.theo.full_name)
        press(page, "Enter")
        expect(page.get_by_text("You signed version 1. Your partner signs next.")).to_be_visible()
        screenshot("04-signed")
        version = AgreementVersion.objects.get(agreement__partnership=partnership, number=1)
        assert version.content["other"] == "We will meet in the library café."
        assert version.content["meeting_count"] == 6
        assert version.content["confidentiality"] == {"mentor": True, "mentee": True}
        assert version.signatures.filter(signer=personas.theo).exists()

        mia_signs(partnership)

        # --- Schedule a meeting, all by keyboard.
        page.goto(live_server.url + reverse("meetings:schedule", args=[code]))
        tab_to(page, re.compile(r"^Date"), tag="input")
        page.keyboard.type("12012026")  # 1 December 2026, as en-US types it
        # Chromium's date input takes one more Tab to leave its last part.
        assert tab_to(page, re.compile(r"^Time\b"), tag="input")["id"] == "id_time"
        page.keyboard.type("0930AM")
        tab_to(page, re.compile(r"^How you meet"), tag="select")
        page.keyboard.type("Online")
        tab_to(page, re.compile(r"^Place or link"), tag="input")
        page.keyboard.type("https://meet.example.org/mia-theo")
        tab_to(page, re.compile(r"^Agenda"), tag="textarea")
        page.keyboard.type("The grant proposal's outline")
        tab_to(page, "Schedule the meeting", tag="button")
        press(page, "Enter")
        expect(page.get_by_text("Meeting scheduled.")).to_be_visible()
        meeting = Meeting.objects.get(partnership=partnership)
        assert meeting.agenda == "The grant proposal's outline"
        assert meeting.mode == "online"

        # --- Write a note (an htmx save): focus on the announced message afterwards.
        page.goto(live_server.url + reverse("meetings:log", args=[code]))
        tab_to(page, re.compile(r"^Note"), tag="textarea")
        page.keyboard.type("Ask Mia about referees.")
        tab_to(page, "Add note", tag="button")
        page.keyboard.press("Enter")
        message = page.locator("#notes [data-focus-after-swap]")
        expect(message).to_have_text("Note added.")
        expect(message).to_be_focused()
        screenshot("05-note")
        assert Note.objects.get(partnership=partnership).body == "Ask Mia about referees."


def _text_only(page: Page) -> bool:
    """The step shows nothing to fill in (its button says Continue)."""
    return page.get_by_role("button", name="Continue", exact=True).count() == 1
