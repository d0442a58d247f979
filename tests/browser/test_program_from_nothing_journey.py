"""Issue 9's journey: from an empty database with only a superuser, a program is started and
filled with people entirely through pages (no shell, no admin)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorpact.accounts.models import User
from mentorpact.programs.models import Enrolment, Program
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a long passphrase for the journey"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def people_csv(bad: bool) -> bytes:
    """20 people: 5 mentors (capacity 2) and 15 mentees; `bad` breaks two rows."""
    rows = ["email,name,role,department,time_zone,capacity"]
    for n in range(1, 6):
        rows.append(f"mentor{n}@uni.example,Mentor {n},mentor,Physics,Europe/London,2")
    for n in range(1, 16):
        rows.append(f"mentee{n}@uni.example,Mentee {n},mentee,Chemistry,America/New_York,")
    if bad:
        rows[3] = "mentor3@uni,Mentor 3,mentor,Physics,Europe/London,2"  # line 4: no domain
        rows[9] = "mentee4@uni.example,Mentee 4,menteee,Chemistry,Mars/Base,"  # line 10
    return ("\n".join(rows) + "\n").encode()


def link_for(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email]][-1]
    match = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body)
    assert match is not None, message.body
    return match.group(1)


def set_password(page: Page, live_server, link: str) -> None:
    page.goto(live_server.url + link)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and join").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


@pytest.fixture
def only_a_superuser(transactional_db, settings):
    settings.TASKS = IMMEDIATE_TASKS
    return User.objects.create_superuser("ada@uni.example", PASSWORD, full_name="Ada Admin")


def test_a_program_is_started_from_nothing_through_pages(
    page, live_server, only_a_superuser, screenshot
):
    # The site administrator creates the program and appoints its coordinator by email.
    sign_in(page, live_server, "ada@uni.example", PASSWORD)
    page.get_by_role("link", name="Programs", exact=True).click()
    page.get_by_label("Program name").fill("Graduate Mentoring 2027")
    page.get_by_label("Coordinator's email").fill("cleo@uni.example")
    page.get_by_label("Coordinator's name").fill("Cleo Coordinator")
    page.get_by_role("button", name="Create program").click()
    expect(page.get_by_role("status")).to_contain_text("Graduate Mentoring 2027 is created")
    expect(page.get_by_role("cell", name="Cleo Coordinator")).to_be_visible()
    screenshot("1-programs")
    sign_out(page)

    # The coordinator follows the emailed link and sets a password.
    set_password(page, live_server, link_for("cleo@uni.example"))
    expect(page.get_by_role("heading", name="Graduate Mentoring 2027", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="My programs")).to_be_visible()

    # ... edits the program, and chooses its agreement template through the chooser.
    page.get_by_role("link", name="Settings").first.click()
    page.get_by_label("Sponsoring office").fill("Graduate School")
    page.get_by_label("Contact email").fill("mentoring@uni.example")
    page.get_by_label("Contact phone").fill("+44 20 7946 0000")
    page.get_by_label("Kick-off date").fill("2027-01-15")
    page.get_by_label("Signed agreements due").fill("2027-03-01")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("settings are saved")
    page.get_by_role("link", name="Choose or edit the template").click()
    page.get_by_role("button", name=re.compile(r"^Use .*red-peer-mentoring")).click()
    expect(page.get_by_role("status")).to_contain_text("will be drafted from")
    program = Program.objects.get(name="Graduate Mentoring 2027")
    assert program.sponsor == "Graduate School"
    assert program.agreement_template is not None
    screenshot("2-settings-and-template")

    # ... uploads 20 people with 2 bad rows, sees both problems, fixes the file, imports.
    page.goto(live_server.url + reverse("office:import", args=[program.public_id]))
    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": people_csv(bad=True)}
    )
    page.get_by_role("button", name="Preview").click()
    problems = page.locator(".problems li")
    expect(problems).to_have_count(3)
    expect(problems.nth(0)).to_contain_text("Line 4, column email")
    expect(problems.nth(1)).to_contain_text("Line 10, column role: Unknown role “menteee”")
    expect(problems.nth(2)).to_contain_text("Line 10, column time_zone")
    assert not User.objects.filter(email="mentee1@uni.example").exists()
    screenshot("3-preview-with-problems")

    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": people_csv(bad=False)}
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("no problems: 20 changes")).to_be_visible()
    page.get_by_role("button", name="Import 20 rows").click()
    expect(page.get_by_role("status")).to_contain_text("Imported: 20 invited")
    expect(page.get_by_text("21 people")).to_be_visible()
    assert Enrolment.objects.filter(program=program, role="mentor", capacity=2).count() == 5
    screenshot("4-roster")

    # Importing the same file again changes nothing.
    page.goto(live_server.url + reverse("office:import", args=[program.public_id]))
    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": people_csv(bad=False)}
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("no problems: 0 changes")).to_be_visible()
    sign_out(page)

    # A new mentee follows the invitation link, sets a password and is signed in.
    set_password(page, live_server, link_for("mentee1@uni.example"))
    expect(page.get_by_role("heading", name="My partnerships", level=1)).to_be_visible()
    sign_out(page)
    sign_in(page, live_server, "mentee1@uni.example", PASSWORD)
    expect(page.get_by_role("heading", name="My partnerships", level=1)).to_be_visible()
    screenshot("5-mentee-signed-in")
