"""After signing, in a real browser: a pair records a meeting, writes and updates its action
plan (meeting a stale save on the way), holds the midpoint check, closes the partnership and
the mentee sends a thank-you note; the coordinator's pages never show what they wrote.

Screenshots go to test-artifacts/screenshots/progress/, at 1280 and 360 px wide.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.lib.dates import add_months
from mentorpact.progress.tests.base import install_template, sign_agreement
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SHOTS = SCREENSHOTS / "progress"
# What the partners write; the coordinator must never see any of it.
CANARY = "CANARY-progress-9d41"


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-{page.viewport_size['width']}.png"
    page.screenshot(path=path, full_page=True)
    return path


def both_widths(page: Page, name: str) -> None:
    """Photograph the page at 1280 px, then at 360 px (checking it fits), then back."""
    shot(page, name)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])
    shot(page, name)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def signed(personas):
    """Mia and Theo on the remote programme's form (it stays between them), signed today,
    with six months to go; the goals carry the canary."""
    set_template(personas.program, install_template("remote-planning"))
    end = add_months(timezone.localdate(), 7)  # the form: six to twelve months ahead
    sign_agreement(
        personas.partnership,
        {
            "mentee": {
                "purpose": f"Grow into a team lead {CANARY}",
                "short_term_goals": [{"goal": f"Run the sprint reviews {CANARY}"}],
                "long_term_goals": [{"goal": "Lead a team of five"}],
                "timeframe": "Six months",
                "end_date": end.isoformat(),
                "meeting_plan": "Every second Tuesday",
                "contingency_plan": "Move it to Thursday",
            },
            "mentor": {},
        },
        at=timezone.now(),
    )
    return personas


def url(name: str, personas, *args) -> str:
    return reverse(name, args=[personas.partnership.public_id, *args])


def goal_card(page: Page, text: str):
    return page.locator("li.plan-item").filter(has_text=text)


def fill_goal(card, *, status: str, steps: str, due: str, note: str = "") -> None:
    card.get_by_text("Update this goal").click()
    card.get_by_label("Status").select_option(label=status)
    card.get_by_label("Action steps").fill(steps)
    card.get_by_label("Due date").fill(due)
    if note:
        card.get_by_label("Progress so far").fill(note)
    card.get_by_role("button", name="Save this goal").click()


def test_a_pair_goes_from_signed_agreement_to_thank_you_note(
    page: Page, browser: Browser, live_server, signed
):
    personas = signed
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "theo@example.org")
    base = live_server.url

    # The partnership page: what is due next, above the timeline.
    page.goto(base + url("partnerships:detail", personas))
    due = page.locator(".due-next")
    expect(due).to_contain_text("Midpoint check")
    expect(due).to_contain_text("End date: closing review")
    expect(page.locator(".timeline")).to_contain_text("Agreement in effect: version 1")
    both_widths(page, "1-partnership-due-next")

    # A meeting held off the platform, recorded afterwards on the meetings page.
    page.goto(base + url("meetings:record_past", personas))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Date it took place").fill(yesterday.isoformat())
    page.get_by_label("Time it started").fill("09:00")
    page.get_by_label("How long it took (minutes)").fill("40")
    page.get_by_label("What you talked about").fill(f"Sprint reviews {CANARY}")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Meeting recorded as held.")).to_be_visible()

    # The action plan, from the signed agreement's goals.
    page.goto(base + url("progress:plan", personas))
    expect(page.get_by_text(f"Run the sprint reviews {CANARY}")).to_be_visible()
    page.get_by_role("button", name="Start the action plan").click()
    expect(page.locator("li.plan-item")).to_have_count(2)
    first = goal_card(page, "Short-term goal 1")
    fill_goal(
        first,
        status="In progress",
        steps="Shadow Mia's review\nRun one review",
        due="2027-01-15",
        note=f"Shadowed one {CANARY}",
    )
    expect(first.get_by_role("status")).to_have_text("Saved.")  # swapped in place by htmx
    expect(first.locator(".status")).to_have_text("In progress")
    both_widths(page, "2-action-plan")

    # Mia, in her own browser, sees Theo's progress and finishes the second goal...
    mia_context = browser.new_context(viewport=DESKTOP)
    mia = mia_context.new_page()
    mia.set_default_timeout(10_000)
    sign_in(mia, live_server, "mia@example.org")
    mia.goto(base + url("progress:plan", personas))
    expect(goal_card(mia, "Short-term goal 1")).to_contain_text(f"Shadowed one {CANARY}")
    fill_goal(
        goal_card(mia, "Long-term goal 1"),
        status="Done",
        steps="Draft a team charter",
        due="2027-02-01",
    )
    expect(goal_card(mia, "Long-term goal 1").locator(".status")).to_have_text("Done")

    # ...while Theo's page still shows it as it was: his save is refused, his text kept.
    second = goal_card(page, "Long-term goal 1")
    fill_goal(second, status="In progress", steps="My own steps", due="2027-03-01")
    expect(second.get_by_role("alert")).to_contain_text("Mia Mentor changed the status")
    expect(second.get_by_label("Action steps")).to_have_value("My own steps")
    both_widths(page, "3-stale-save-refused")

    page.reload()
    page.get_by_role("button", name="Mark the plan complete").click()
    expect(page.get_by_text("Plan complete")).to_be_visible()

    # The midpoint check: both review every goal.
    for person, who in ((page, "mentee"), (mia, "mentor")):
        person.goto(base + url("progress:midpoint", personas))
        for select in person.get_by_label("How is it going?").all():
            select.select_option(label="On track")
        person.get_by_label("Overall, how is the partnership going?").fill(f"Well {CANARY}")
        person.get_by_role("button", name="Submit my midpoint review").click()
        expect(person.get_by_text("Thank you: your midpoint review is recorded.")).to_be_visible()
        expect(person.get_by_text(f"The {who}'s review")).to_be_visible()
    both_widths(page, "4-midpoint")

    # Closing: Mia proposes to conclude, Theo confirms with his own learning conclusion.
    mia.goto(base + url("progress:closing", personas))
    for select in mia.get_by_label("Outcome").all():
        select.select_option(label="Met")
    mia.get_by_label("Your learning conclusion").fill(f"Listening first {CANARY}")
    mia.get_by_label("Conclude the partnership").check()
    mia.get_by_role("button", name="Propose").click()
    expect(mia.get_by_text("Waiting for your partner to confirm.")).to_be_visible()

    page.goto(base + url("progress:closing", personas))
    expect(page.get_by_text(f"Listening first {CANARY}")).to_be_visible()
    page.get_by_label("Your learning conclusion").fill(f"Plan the work {CANARY}")
    both_widths(page, "5-closing-confirm")
    page.get_by_role("button", name="Confirm: conclude the partnership").click()
    expect(page.get_by_text("the partnership is concluded")).to_be_visible()
    both_widths(page, "6-closing-done")

    # The thank-you note, drawn from the record, previewed before it goes.
    page.get_by_role("link", name=re.compile("thank-you note")).click()
    expect(page.get_by_label("Message")).to_contain_text("We met once")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Nothing is sent until you press Send.")).to_be_visible()
    both_widths(page, "7-thank-you-preview")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Sent to Mia Mentor.")).to_be_visible()

    # Closed: the plan reads, no longer changes; the whole record downloads.
    page.goto(base + url("progress:plan", personas))
    expect(page.get_by_text("Update this goal")).to_have_count(0)
    # The ZIP is built in the request (every signed PDF in it rendered and sealed): on a busy
    # machine that takes longer than a page's usual ten seconds.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="downloaded").click(timeout=60_000)
    assert download.value.suggested_filename == "mentorpact-record-mia-mentor-theo-mentee.zip"
    mia_context.close()


def test_the_coordinator_sees_dates_and_statuses_never_what_the_partners_wrote(
    browser: Browser, live_server, signed
):
    personas = signed
    from mentorpact.progress import services

    plan = services.start_action_plan(partnership=personas.partnership, actor=personas.theo)
    item = plan.items.first()
    services.update_plan_item(
        item=item,
        actor=personas.theo,
        changes=services.ItemChanges(
            "done", f"Step {CANARY}", "", "mentee", "", None, f"Note {CANARY}"
        ),
        based_on_version=1,
    )
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        sign_in(page, live_server, "cora@example.org")
        page.goto(live_server.url + url("partnerships:detail", personas))
        expect(page.locator(".progress-section")).to_contain_text("Done: 1")
        expect(page.locator(".timeline")).to_contain_text("A plan item: done")
        assert CANARY not in page.content()
        both_widths(page, "8-coordinator-partnership")
        for name in ("progress:plan", "progress:midpoint", "progress:closing", "progress:record"):
            response = page.goto(live_server.url + url(name, personas))
            assert response is not None and response.status == 403, name
            assert CANARY not in page.content()
    finally:
        context.close()
