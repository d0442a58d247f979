"""Issue 9's journey: from an empty database with only a superuser, entirely through pages
(no shell, no admin): a program is created, its coordinator invited, edits it, imports 20
people (after fixing 2 bad rows), pairs 10 couples by CSV and one by hand; a new mentee and
mentor follow their invitation links, see each other and the due date, draft and sign."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.selectors import chosen_template
from mentorpact.programs.models import Enrolment, Program
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a long passphrase for the journey"
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def people_csv(bad: bool) -> bytes:
    """20 people: 5 mentors (capacity 3) and 15 mentees; `bad` breaks two rows."""
    rows = ["email,name,role,department,time_zone,capacity"]
    for n in range(1, 6):
        rows.append(f"mentor{n}@uni.example,Mentor {n},mentor,Physics,Europe/London,3")
    for n in range(1, 16):
        rows.append(f"mentee{n}@uni.example,Mentee {n},mentee,Chemistry,America/New_York,")
    if bad:
        rows[3] = "mentor3@uni,Mentor 3,mentor,Physics,Europe/London,2"  # line 4: no domain
        rows[9] = "mentee4@uni.example,Mentee 4,menteee,Chemistry,Mars/Base,"  # line 10
    return ("\n".join(rows) + "\n").encode()


def link_for(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email] and "/invitations/" in m.body][-1]
    match = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body)
    assert match is not None, message.body
    return match.group(1)


def set_password(page: Page, live_server, link: str) -> None:
    page.goto(live_server.url + link)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and join").click()


def pairs_csv() -> bytes:
    """10 couples: mentees 1 to 10, two to each of mentors 1 to 5."""
    rows = ["mentor_email,mentee_email"]
    rows += [f"mentor{(n - 1) // 2 + 1}@uni.example,mentee{n}@uni.example" for n in range(1, 11)]
    return ("\n".join(rows) + "\n").encode()


def person_page(browser: Browser, live_server, link: str) -> Page:
    """Someone new, in their own browser: they follow their invitation link."""
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    set_password(page, live_server, link)
    return page


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


@pytest.fixture
def only_a_superuser(transactional_db, settings, tmp_path):
    # Emails and the signed PDF are made at once (no worker here), the key in a scratch folder.
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AGREEMENT_SIGNING_KEY = settings.AGREEMENT_SIGNING_CERT = ""
    return User.objects.create_superuser("ada@uni.example", PASSWORD, full_name="Ada Admin")


def test_a_program_is_started_from_nothing_through_pages(
    page, browser, live_server, only_a_superuser, screenshot
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
    assert chosen_template(program) is not None
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
    # The worker imports the file (here at once: the immediate task backend) while the
    # coordinator watches its status page, which asks again every second until it is done.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importing people")
    expect(page.get_by_role("status")).to_contain_text("Imported: 20 invited")
    page.get_by_role("link", name="See the people of Graduate Mentoring 2027").click()
    expect(page.get_by_text("21 people")).to_be_visible()
    assert Enrolment.objects.filter(program=program, role="mentor", capacity=3).count() == 5
    screenshot("4-roster")

    # Importing the same file again changes nothing.
    page.goto(live_server.url + reverse("office:import", args=[program.public_id]))
    page.get_by_label("CSV file").set_input_files(
        {"name": "people.csv", "mimeType": "text/csv", "buffer": people_csv(bad=False)}
    )
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("no problems: 0 changes")).to_be_visible()

    # ... pairs 10 couples by CSV and one by hand.
    page.goto(live_server.url + reverse("pairing:page", args=[program.public_id]))
    page.get_by_role("link", name="Pair many by CSV upload").click()
    page.get_by_label("Pairing CSV").set_input_files(
        {"name": "pairs.csv", "mimeType": "text/csv", "buffer": pairs_csv()}
    )
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Import 10 pairings").click()
    expect(page.get_by_role("status")).to_contain_text("Paired 10 couples")
    page.goto(live_server.url + reverse("pairing:page", args=[program.public_id]))
    page.get_by_role("radio", name=re.compile(r"^Mentor 1\b")).check()
    page.get_by_role("radio", name=re.compile(r"^Mentee 11\b")).check()
    page.get_by_role("button", name="Pair them").click()
    expect(page.get_by_role("status")).to_contain_text("Paired Mentor 1 with Mentee 11")
    assert program.partnerships.count() == 11
    screenshot("5-paired")
    sign_out(page)

    # A new mentee follows the invitation link, is signed in, sees the partner and due date.
    mentee = person_page(browser, live_server, link_for("mentee1@uni.example"))
    expect(mentee.get_by_role("heading", name="My partnerships", level=1)).to_be_visible()
    mentee.get_by_role("link", name=re.compile("Mentor 1")).first.click()
    expect(mentee.locator(".facts").first).to_contain_text("Mentor 1")
    expect(mentee.locator(".facts").first).to_contain_text("Agreement due")
    screenshot("6-mentee-sees-partner", of=mentee)
    partnership_url = mentee.url

    # The pair drafts their agreement together and signs it.
    mentee.get_by_role("link", name="Draft the agreement").click()
    # Opening the page writes nothing: the draft starts with an explicit POST.
    mentee.get_by_role("button", name="Start the agreement").click()
    mentee.get_by_label("Mentee Name:").fill("Mentee 1")
    mentee.get_by_label(re.compile("hope to achieve as a mentee")).fill("Finish my thesis.")
    mentee.get_by_label(re.compile("will be used and completed by")).fill("Mentee 1")
    mentee.get_by_label(re.compile("Frequency of mentoring meetings")).fill("Every two weeks")
    mentee.get_by_label(re.compile("Accountability in this relationship")).fill("Our plan")
    mentee.get_by_label(re.compile(r"^I accept this")).check()
    mentee.get_by_role("button", name="Save draft").click()
    expect(mentee.get_by_text("Draft saved.")).to_be_visible()

    mentor = person_page(browser, live_server, link_for("mentor1@uni.example"))
    mentor.goto(partnership_url)
    mentor.get_by_role("link", name="Open the draft").click()
    mentor.get_by_label("Mentor Name:").fill("Mentor 1")
    mentor.get_by_label(re.compile("hope to achieve as a mentor")).fill("Learn to mentor.")
    mentor.get_by_label(re.compile(r"^I accept this")).check()
    mentor.get_by_role("button", name="Save draft").click()
    expect(mentor.get_by_text("Draft saved.")).to_be_visible()
    screenshot("7-draft-complete", of=mentor)

    for person, name in ((mentee, "Mentee 1"), (mentor, "Mentor 1")):
        person.goto(partnership_url)
        person.get_by_role("link", name="Open the draft").click()
        person.get_by_role("link", name="Read and sign version 1").click()
        person.get_by_label("I agree to do business electronically").check()
        person.get_by_label("Type your full name to sign").fill(name)
        # The last signature seals the PDF and emails it before the page answers (the tasks
        # run inline here): give it time on a busy machine.
        person.get_by_role("button", name="Sign version 1").click(timeout=90_000)
    expect(mentor.get_by_text("version 1 is in effect")).to_be_visible(timeout=30_000)
    screenshot("8-in-effect", of=mentor)

    # The mentee signs out and back in with the password they chose.
    sign_out(mentee)
    sign_in(mentee, live_server, "mentee1@uni.example", PASSWORD)
    expect(mentee.get_by_role("heading", name="My partnerships", level=1)).to_be_visible()
