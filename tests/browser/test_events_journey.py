"""A program event, in a real browser: Cora creates a networking function for the research
office's program, Mia answers yes and adds it to her calendar, Cora records attendance and
sees it on the program's events page (linked from the overview).

Screenshots go to test-artifacts/screenshots/events/, at 1280 and 360 px wide.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mentorpact.events.models import Invitation, ProgramEvent
from mentorpact.outbox.models import Email
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in, watch_console

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SHOTS = SCREENSHOTS / "events"


def both_widths(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-1280.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.screenshot(path=SHOTS / f"{name}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    return path


def test_cora_creates_a_networking_function_mia_answers_and_attendance_is_recorded(
    page: Page, browser: Browser, live_server, personas
):
    assert personas.program.sponsor == "Research Office"
    day = timezone.localdate() + timedelta(days=7)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "cora@example.org")
    page.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
    page.get_by_role("link", name="Events and attendance").click()
    page.get_by_label("Title").fill("Networking function")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label(re.compile(r"^Time\W*$")).fill("17:00")
    page.get_by_label("Ends at").fill("16:00")
    page.get_by_label("Place or online link").fill("Research Office, room 2")
    page.get_by_label("Mentors").check()
    page.get_by_label("Mentees").check()
    page.get_by_role("button", name="Create and invite").click()
    # In the error summary (a link to the field) and beside the field.
    expect(
        page.locator("[data-error-summary]").get_by_role("link", name="It must end after it")
    ).to_be_visible()
    expect(page.locator(".field-error").get_by_text("It must end after it starts.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Networking function")
    both_widths(page, "create-error")
    page.get_by_label("Ends at").fill("19:00")
    page.get_by_role("button", name="Create and invite").click()
    expect(page.get_by_text("Event created: the invitations are on their way.")).to_be_visible()
    event = ProgramEvent.objects.get()
    assert Email.objects.filter(kind="event-invitation", to="mia@example.org").exists()

    errors: list[str] = []
    mia = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    mia.set_default_timeout(10_000)
    watch_console(mia, errors)
    sign_in(mia, live_server, "mia@example.org")
    mia.get_by_role("link", name="Your program events").click()
    mia.get_by_role("link", name="Networking function").click()
    mia.get_by_label("Yes, I'll come").check()
    mia.get_by_role("button", name="Save my answer").click()
    expect(mia.get_by_text("Answer saved.")).to_be_visible()
    with mia.expect_download() as download:
        mia.get_by_role("link", name="Add to my calendar (.ics)").click()
    assert b"BEGIN:VEVENT" in Path(download.value.path()).read_bytes()
    both_widths(mia, "mia-answered")
    mia.context.close()
    assert errors == []
    assert Invitation.objects.get(event=event, user=personas.mia).answer == "yes"

    # After the event (moved into the past for the test), Cora ticks who came.
    ProgramEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    page.goto(live_server.url + reverse("events:event", args=[event.public_id]))
    page.get_by_label("Mia Mentor attended").check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance recorded: 1 present.")).to_be_visible()
    page.get_by_role("link", name="Events · Peer Mentoring").click()
    row = page.get_by_role("row").filter(has_text="Networking function")
    # Invited 2, yes 1, no 0, maybe 0, attended 1, missed 1 (Theo).
    expect(row.get_by_role("cell")).to_have_text(
        ["Networking function", re.compile(".+"), "2", "1", "0", "0", "1", "1"]
    )
    both_widths(page, "attendance")
