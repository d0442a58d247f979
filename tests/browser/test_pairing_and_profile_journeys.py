"""Issue 9, items 3 and 4 in the browser: the coordinator pairs by hand (a full mentor
refused, a pairing undone) and by CSV (a bad row seen, fixed, imported); a mentee's first
sign-in takes the browser's time zone, they choose another on their profile and change their
email address through the link sent to the new one."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, expect

from mentorpact.accounts.models import User
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment
from mentorpact.test import make_user
from tests.browser.conftest import PASSWORD, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def enrol(program, email: str, name: str, role: str, capacity: int = 1) -> User:
    user = make_user(email, name)
    Enrolment.objects.create(program=program, user=user, role=role, capacity=capacity)
    return user


def csv_upload(rows: list[str]) -> dict:
    text = "\n".join(["mentor_email,mentee_email", *rows]) + "\n"
    return {"name": "pairs.csv", "mimeType": "text/csv", "buffer": text.encode()}


@pytest.fixture
def people(personas, settings):
    settings.TASKS = IMMEDIATE_TASKS
    program = personas.program
    personas.max = enrol(program, "max@example.org", "Max Mentor", "mentor")
    personas.mo = enrol(program, "mo@example.org", "Mo Mentor", "mentor", capacity=2)
    for email, name in [
        ("nina@example.org", "Nina Newcomer"),
        ("noah@example.org", "Noah Newcomer"),
        ("ola@example.org", "Ola Other"),
    ]:
        enrol(program, email, name, "mentee")
    return personas


def test_the_coordinator_pairs_by_hand_and_by_csv(page, live_server, people, screenshot):
    program = people.program
    sign_in(page, live_server, "cora@example.org")
    page.goto(live_server.url + reverse("programs:overview", args=[program.public_id]))
    page.get_by_role("link", name="Pairing", exact=True).first.click()
    expect(page.get_by_role("heading", name="Pairing", level=1)).to_be_visible()

    # The search narrows the mentees' list as one types (an htmx fragment).
    page.get_by_label("Search mentees").fill("nina")
    mentees = page.locator("#mentee-list")
    expect(mentees.get_by_text("Ola Other")).to_have_count(0)
    expect(mentees.get_by_text("Nina Newcomer")).to_be_visible()

    # Mia already has Theo, her one place: refused beside the field, the choices kept.
    page.get_by_role("radio", name=re.compile(r"^Mia Mentor")).check()
    page.get_by_role("radio", name=re.compile(r"^Nina Newcomer")).check()
    page.get_by_role("button", name="Pair them").click()
    expect(page.locator("#mentor-error")).to_contain_text(
        "Mia Mentor already mentors 1 of the 1 mentee they can take"
    )
    expect(page.get_by_role("radio", name=re.compile(r"^Nina Newcomer"))).to_be_checked()
    screenshot("1-capacity-refused")

    page.get_by_role("radio", name=re.compile(r"^Max Mentor")).check()
    page.get_by_role("button", name="Pair them").click()
    expect(page.get_by_role("status")).to_contain_text("Paired Max Mentor with Nina Newcomer")
    assert sorted(m.to[0] for m in mail.outbox) == ["max@example.org", "nina@example.org"]
    assert "your mentee is Nina Newcomer" in mail.outbox[0].body + mail.outbox[1].body

    # Nobody has signed: the pairing can be undone, and Nina waits for a mentor again.
    page.get_by_role("button", name="Undo the pairing of Max Mentor and Nina Newcomer").click()
    expect(page.get_by_role("status")).to_contain_text("Nina Newcomer is waiting for a mentor")
    expect(page.locator("#mentee-list").get_by_text("Nina Newcomer")).to_be_visible()
    screenshot("2-undone")
    page.set_viewport_size({"width": 360, "height": 800})
    assert_no_horizontal_scroll(page, 360)
    page.set_viewport_size({"width": 1100, "height": 900})

    # By CSV: a bad row is shown with its line and column, nothing is paired...
    page.get_by_role("link", name="Pair many by CSV upload").click()
    rows = ["max@example.org,nina@example.org", "mo@example.org,noah@example.org"]
    page.get_by_label("Pairing CSV").set_input_files(
        csv_upload([*rows, "mo@example.org,nobody@example.org"])
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#csv-problems")).to_contain_text(
        "Line 4, mentee_email: No mentee with this address in Peer Mentoring"
    )
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    screenshot("3-csv-problem")
    # ... the fixed file is previewed, then imported whole.
    page.get_by_label("Pairing CSV").set_input_files(
        csv_upload([*rows, "mo@example.org,ola@example.org"])
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("status")).to_contain_text("3 new pairings")
    page.get_by_role("button", name="Import 3 pairings").click()
    expect(page.get_by_role("status")).to_contain_text("Paired 3 couples")
    assert Partnership.objects.filter(program=program, status="drafting").count() == 4
    screenshot("4-csv-imported")


def test_a_person_sets_their_time_zone_and_changes_their_email(
    browser: Browser, live_server, people, screenshot
):
    # Theo's browser is in Denver; he has never chosen a zone.
    context = browser.new_context(
        timezone_id="America/Denver", viewport={"width": 1000, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, "theo@example.org")
    theo = User.objects.get(email="theo@example.org")
    assert (theo.time_zone, theo.time_zone_chosen) == ("America/Denver", True)

    page.get_by_role("link", name="Theo Mentee").click()
    zone = page.locator("#id_time_zone")
    expect(zone).to_have_value("America/Denver")
    # The search narrows the long list; he picks Tokyo and a preferred name.
    page.get_by_label("Find a time zone").fill("tokyo")
    expect(zone).to_have_value("Asia/Tokyo")
    page.get_by_label("Preferred name").fill("Teddy")
    screenshot("1-profile", of=page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Profile saved.")
    theo.refresh_from_db()
    assert (theo.time_zone, theo.preferred_name) == ("Asia/Tokyo", "Teddy")

    # A new email address: the link goes to it, and only following it changes the address.
    page.get_by_label("New email address").fill("teddy@example.org")
    page.get_by_label("Your current password").fill(PASSWORD)
    page.get_by_role("button", name="Send the confirmation link").click()
    expect(page.get_by_role("status")).to_contain_text("We sent a link to teddy@example.org")
    theo.refresh_from_db()
    assert theo.email == "theo@example.org"
    [message] = [m for m in mail.outbox if m.to == ["teddy@example.org"]]
    link = re.search(r"https?://[^/\s]+(/accounts/email/\S+/)", str(message.body))
    assert link is not None
    page.goto(live_server.url + link.group(1))
    page.get_by_role("button", name="Use teddy@example.org").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Your email address is now teddy@example.org"
    )
    theo.refresh_from_db()
    assert theo.email == "teddy@example.org"
    screenshot("2-email-changed", of=page)
    context.close()

    # His mentor sees the name he prefers.
    mia = browser.new_context().new_page()
    sign_in(mia, live_server, "mia@example.org")
    expect(mia.get_by_role("heading", name="Teddy", level=2)).to_be_visible()
