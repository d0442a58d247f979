"""Issue 16 in the browser: the coordinator defines three intake questions (a mistake shown by
its line first), twelve invited people answer them after following their invitation links,
the mentees rank mentors from their shortlists and a mentor declines one mentee; the
coordinator runs the match, pins a pair, runs it again, reads the explanations and publishes;
the pairs see their partner."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from mentorpact.office import services as office
from mentorpact.office.people import Person
from mentorpact.partnerships.models import Partnership
from tests.browser.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

QUESTIONS = """\
ranking:
  up_to: 2
  shortlist: 6
  weight: 3
questions:
  - key: mode
    label: How would you like to meet?
    kind: modes
    matters: should_match
    weight: 2
  - key: area
    label: Research area
    kind: choice
    options: [Biology, Chemistry, Physics]
    matters: should_match
    weight: 2
  - key: department
    label: Department
    kind: choice
    options: [Life sciences, Engineering]
    matters: must_differ
"""

AREAS = ["Biology", "Chemistry", "Physics"]
MODES = ["online", "in person", "phone"]


@pytest.fixture
def invited(personas, settings):
    settings.TASKS = IMMEDIATE_TASKS
    people = [Person(f"mentor{n}@uni.example", f"Mentor {n}", "mentor") for n in range(1, 7)]
    people += [Person(f"mentee{n}@uni.example", f"Mentee {n}", "mentee") for n in range(1, 7)]
    office.enrol_people(program=personas.program, people=people, actor=personas.cora)
    return personas


def link_for(email: str) -> str:
    message = [m for m in mail.outbox if m.to == [email] and "/invitations/" in m.body][-1]
    found = re.search(r"https?://[^/\s]+(/invitations/\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def answer_profile(browser: Browser, live_server, email: str, n: int, mentor: bool) -> Page:
    """Someone new follows their invitation link, sets a password and answers."""
    page = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + link_for(email))
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and join").click()
    expect(page.get_by_role("heading", name="Your matching profile")).to_be_visible()
    page.get_by_role("checkbox", name=MODES[n % 3]).check()
    page.get_by_role("radio", name=AREAS[n % 3]).check()
    page.get_by_role("radio", name="Engineering" if mentor else "Life sciences").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are saved.")
    return page


def test_the_coordinator_matches_a_cohort_from_its_own_questions(
    page, browser, live_server, invited, screenshot
):
    program = invited.program
    sign_in(page, live_server, "cora@example.org")
    page.goto(live_server.url + reverse("programs:overview", args=[program.public_id]))
    page.get_by_role("link", name="Matching", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Intake questions")).click()

    # A misspelt kind is shown beside the field with its line; the typed text stays.
    source = page.get_by_label("Questions (YAML)")
    source.fill(QUESTIONS.replace("kind: modes", "kind: mood"))
    page.get_by_role("button", name="Save the questions").click()
    expect(page.locator("#source-error")).to_contain_text(
        'questions.yaml:8: questions[0].kind: unknown kind "mood"'
    )
    expect(source).to_have_value(re.compile("kind: mood"))
    screenshot("1-questions-problem")
    source.fill(QUESTIONS)
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_role("status")).to_contain_text("Intake questions saved.")

    # Twelve invited people answer; the mentees rank their first choice.
    people = {}
    for n in range(1, 7):
        people[f"mentor{n}"] = answer_profile(
            browser, live_server, f"mentor{n}@uni.example", n, True
        )
    for n in range(1, 7):
        mentee = answer_profile(browser, live_server, f"mentee{n}@uni.example", n, False)
        expect(mentee.get_by_role("heading", name="Mentors who fit you")).to_be_visible()
        mentee.get_by_label("Choice 1").select_option(label=f"Mentor {n}")
        mentee.get_by_role("button", name="Save my ranking").click()
        expect(mentee.get_by_role("status")).to_contain_text("Your ranking is saved.")
        people[f"mentee{n}"] = mentee
    screenshot("2-shortlist", of=people["mentee1"])

    # Mentor 2 declines Mentee 3.
    mentor2 = people["mentor2"]
    mentor2.goto(live_server.url + reverse("matching:mentees", args=[program.public_id]))
    mentor2.get_by_role("button", name="Decline Mentee 3", exact=True).click()
    expect(mentor2.get_by_text("declined")).to_be_visible()

    # The coordinator sees every profile complete and runs the match.
    page.goto(live_server.url + reverse("matching:profiles", args=[program.public_id]))
    expect(page.get_by_text("0 waiting people have not completed their profile.")).to_be_visible()
    page.get_by_role("button", name="Run the match").click()
    pairs = page.locator("article.pair")
    expect(pairs).to_have_count(6)
    expect(page.get_by_text("different, as asked").first).to_be_visible()
    expect(page.get_by_text("Mentor 2 mentors Mentee 3")).to_have_count(0)
    screenshot("3-review")

    # Pin the first pair, run again: it is kept, and marked pinned.
    first = pairs.first.get_by_role("heading").inner_text()
    mentor_name, mentee_name = re.match(r"(Mentor \d) mentors (Mentee \d)", first).groups()
    page.get_by_role("button", name=f"Pin {mentor_name} with {mentee_name}").click()
    expect(page.get_by_role("status")).to_contain_text("Saved for the next run")
    expect(
        page.get_by_text(f"Pinned by the coordinator: {mentor_name} with {mentee_name}")
    ).to_be_visible()
    page.get_by_role("button", name="Run the match again").click()
    pinned = page.locator("article.pair", has_text=f"{mentor_name} mentors {mentee_name}")
    expect(pinned.get_by_text("pinned")).to_be_visible()
    # Each pair's score is explained question by question.
    expect(pinned.get_by_text("How would you like to meet?")).to_be_visible()
    expect(pinned.get_by_text("Department")).to_be_visible()
    screenshot("4-review-pinned")

    page.get_by_role("button", name="Publish these pairs").click()
    expect(page.get_by_role("status")).to_contain_text("Published 6 pairs")
    assert Partnership.objects.filter(program=program).count() == 7  # with Mia and Theo's

    # The pairs see their partner.
    mentee = people[f"mentee{mentee_name.split()[-1]}"]
    mentee.goto(live_server.url + reverse("partnerships:mine"))
    expect(mentee.get_by_role("link", name=mentor_name)).to_be_visible()
    mentor = people[f"mentor{mentor_name.split()[-1]}"]
    mentor.goto(live_server.url + reverse("partnerships:mine"))
    expect(mentor.get_by_role("link", name=mentee_name)).to_be_visible()
    screenshot("5-partner", of=mentee)
    assert any(m.to == [f"mentee{mentee_name.split()[-1]}@uni.example"] for m in mail.outbox[-20:])
