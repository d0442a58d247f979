"""Meetings in a real browser: Mia schedules, Theo adds it to his calendar, records it as held,
writes notes and answers the feedback questions; Cora sees dates and statuses only.

The clock is fixed with time_machine (it moves the server thread's clock too): Monday 23
November 2026, then the day after the meeting.
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.meetings.models import Feedback, Meeting, Note
from mentorpact.meetings.tests.base import PILOT_AGREEMENT, install_builtin, sign_agreement
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
AFTER_THE_MEETING = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)
WIDTHS = (1280, 360)
SECRET_AGENDA = "Draft of the fellowship application"


def shoot(page: Page, step: str) -> None:
    """test-artifacts/screenshots/meetings/<step>-<width>.png at desktop and phone widths,
    checking the phone width does not scroll sideways."""
    folder = SCREENSHOTS / "meetings"
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900 if width > 400 else 740})
        if width < 400:
            assert_no_horizontal_scroll(page, width)
        page.screenshot(path=folder / f"{step}-{width}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


@pytest.fixture
def pilot(personas):
    """Mia and Theo in the university pilot, their agreement signed."""
    set_template(personas.program, install_builtin("university-pilot"))
    with time_machine.travel(MONDAY, tick=False):
        sign_agreement(personas.partnership, PILOT_AGREEMENT)
    return personas


def new_page(browser: Browser) -> Page:
    page = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}).new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_pair_meets_records_notes_and_feedback_and_cora_sees_only_dates(
    browser: Browser, page: Page, live_server, pilot
):
    partnership = pilot.partnership
    log_url = live_server.url + reverse("meetings:log", args=[partnership.public_id])

    with time_machine.travel(MONDAY, tick=True):
        # Mia schedules the meeting for 09:30 in Chicago, after one try in the past.
        sign_in(page, live_server, "mia@example.org")
        page.goto(log_url)
        expect(page.get_by_text("Theo Mentee (the mentee) arranges meetings")).to_be_visible()
        page.get_by_role("link", name="Schedule a meeting").first.click()
        page.get_by_label("Date").fill("2026-11-20")
        page.get_by_label(re.compile(r"^Time\W*$")).fill("09:30")
        page.get_by_label("Time zone").select_option("America/Chicago")
        page.get_by_label("Length (minutes)").fill("45")
        page.get_by_label("How you meet").select_option(label="Online")
        page.get_by_label("Place or link").fill("https://meet.example.org/mia-theo")
        page.get_by_label("Agenda").fill(SECRET_AGENDA)
        page.get_by_role("button", name="Schedule the meeting").click()
        error = page.locator("#id_date_error")
        expect(error).to_contain_text("Choose a time in the future")
        expect(page.get_by_label("Agenda")).to_have_value(SECRET_AGENDA)
        shoot(page, "01-schedule-refused")

        page.get_by_label("Date").fill("2026-11-24")
        page.get_by_role("button", name="Schedule the meeting").click()
        expect(page.get_by_role("heading", name="Meeting", exact=True)).to_be_visible()
        expect(page.get_by_text("09:30 CST (America/Chicago) where it was planned")).to_be_visible()
        shoot(page, "02-scheduled")

        # Theo adds it to his calendar: the file says 09:30 in Chicago.
        theo = new_page(browser)
        sign_in(theo, live_server, "theo@example.org")
        theo.goto(log_url)
        theo.locator(".meeting-list a").first.click()
        with theo.expect_download() as download:
            theo.get_by_role("link", name="Add to calendar (.ics)").click()
        calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
        event = calendar.events[0]
        assert event.start == datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
        assert str(event.start.tzinfo) == "America/Chicago"
        assert (event.start.hour, event.start.minute) == (9, 30)
        assert (event.end - event.start).seconds == 45 * 60
        assert SECRET_AGENDA.encode() not in Path(download.value.path()).read_bytes()

    with time_machine.travel(AFTER_THE_MEETING, tick=True):
        # Theo records it as held, then skips agreeing the next one for now.
        theo.reload()
        expect(theo.get_by_text("This meeting's time has passed.")).to_be_visible()
        theo.get_by_role("link", name="Record as held").click()
        theo.get_by_label("How long it took (minutes)").fill("50")
        theo.get_by_label("What you talked about").fill("The budget section and referees")
        theo.get_by_role("button", name="Record as held").click()
        expect(theo.get_by_role("heading", name="Agree the next meeting")).to_be_visible()
        expect(theo.get_by_label("Date")).to_have_value("2026-12-08")
        expect(theo.get_by_label("Time zone")).to_have_value("America/Chicago")
        shoot(theo, "03-agree-the-next")
        theo.get_by_role("link", name="skip this for now").click()

        # A private note and a shared one, added with htmx.
        notes = theo.locator("#notes")
        note = theo.get_by_role("textbox", name="Note", exact=True)
        note.fill("I felt nervous about asking for referees.")
        theo.get_by_role("button", name="Add note").click()
        expect(notes.locator(".note-private")).to_contain_text("nervous about asking")
        note.fill("Mia will send two example budgets.")
        theo.get_by_label("Shared with my partner").check()
        theo.get_by_role("button", name="Add note").click()
        expect(notes.locator(".note-shared")).to_contain_text("two example budgets")

        # The pilot's four questions, shared with Mia.
        theo.get_by_role("link", name="Give your feedback").click()
        theo.get_by_label("1. How useful was our meeting").fill("Very: the budget is clear.")
        theo.get_by_label("4. Are you doing/do you plan").fill("Ask referees this week.")
        theo.get_by_label("Let my partner see my answers").check()
        shoot(theo, "04-feedback")
        theo.get_by_role("button", name="Send my feedback").click()
        expect(theo.get_by_text("Your feedback (your partner sees it)")).to_be_visible()
        shoot(theo, "05-held-with-notes-and-feedback")

        # Mia sees the shared note and feedback, never Theo's private note.
        page.goto(log_url)
        expect(page.get_by_text("two example budgets")).to_be_visible()
        expect(page.get_by_text("nervous about asking")).to_have_count(0)
        shoot(page, "06-mias-log")

        # Cora sees the meeting's date and status, nothing the pair wrote.
        cora = new_page(browser)
        sign_in(cora, live_server, "cora@example.org")
        cora.goto(live_server.url + reverse("partnerships:detail", args=[partnership.public_id]))
        expect(cora.get_by_text("Meeting held", exact=False).first).to_be_visible()
        content = cora.content()
        for secret in (SECRET_AGENDA, "budget section", "nervous", "example budgets", "Very:"):
            assert secret not in content, secret
        shoot(cora, "07-coras-partnership-page")
        meeting = Meeting.objects.get()
        response = cora.goto(
            live_server.url
            + reverse("meetings:detail", args=[partnership.public_id, meeting.public_id])
        )
        assert response is not None and response.status == 403

    assert meeting.status == Meeting.Status.HELD and meeting.held_minutes == 50
    assert sorted(Note.objects.values_list("visibility", flat=True)) == ["private", "shared"]
    assert Feedback.objects.get().shared_with_partner is True
