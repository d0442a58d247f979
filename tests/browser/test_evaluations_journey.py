"""A periodic evaluation, in a real browser: Cora schedules the example evaluation at the
midpoint for the research office's program; it reaches both partners in "due next"; Theo
and Mia answer (the form tells them first that their answers are confidential); Cora sees
the response rate, and the aggregates suppressed (two answers, fewer than five), never an
answer.

Screenshots go to test-artifacts/screenshots/evaluations/, at 1280 and 360 px wide.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.evaluations.models import Response, Round
from mentorpact.progress.tests.base import CONTENT, install_template, sign_agreement
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in, watch_console

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SHOTS = SCREENSHOTS / "evaluations"
CANARY = "CANARY-evaluation-journey-3b7e"


def both_widths(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-1280.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.screenshot(path=SHOTS / f"{name}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    return path


def answer_as(browser: Browser, live_server, personas, email: str, useful: str, name: str):
    errors: list[str] = []
    partner = browser.new_context(viewport=DESKTOP).new_page()
    partner.set_default_timeout(10_000)
    watch_console(partner, errors)
    sign_in(partner, live_server, email)
    partner.goto(
        live_server.url + reverse("partnerships:detail", args=[personas.partnership.public_id])
    )
    due = partner.locator(".due-next")
    due.get_by_role("link", name="Evaluation: Midpoint evaluation").click()
    expect(partner.locator("#who-sees")).to_contain_text("Your answers are confidential")
    # Sent with nothing chosen: each question says so, beside it.
    partner.get_by_label("Anything else the program should know?").fill(f"{name} {CANARY}")
    partner.get_by_role("button", name="Send my answers").click()
    expect(partner.locator("[data-error-summary]")).to_be_visible()
    expect(partner.get_by_label("Anything else the program should know?")).to_have_value(
        f"{name} {CANARY}"
    )
    partner.get_by_label(useful).check()
    partner.get_by_label("Online").check()
    partner.get_by_role("button", name="Send my answers").click()
    expect(partner.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    expect(partner.get_by_role("button", name="Save my changes")).to_be_visible()
    both_widths(partner, f"{name}-answered")
    partner.context.close()
    assert errors == []


def test_a_midpoint_evaluation_reaches_both_partners_and_cora_sees_the_rate_only(
    page: Page, browser: Browser, live_server, personas
):
    assert personas.program.sponsor == "Research Office"
    # ASPE's six months, signed 100 days ago: the midpoint was a few days ago, the round open.
    set_template(personas.program, install_template("aspe-partnership"))
    signed_at = timezone.now() - datetime.timedelta(days=100)
    sign_agreement(personas.partnership, CONTENT["aspe-partnership"], at=signed_at)

    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "cora@example.org")
    page.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
    page.locator("main .program-links").get_by_role("link", name="Evaluations", exact=True).click()
    source = page.get_by_label("The evaluation form (YAML)")
    expect(source).to_have_value(re.compile("when: midpoint"))
    # A typo first: named by line, beside the field, the text kept.
    source.fill(source.input_value().replace("kind: choice", "kind: chioce"))
    page.get_by_role("button", name="Create and schedule").click()
    expect(page.locator(".field-error")).to_contain_text(
        'evaluation.yaml:12: questions[1].kind: unknown kind "chioce"'
    )
    both_widths(page, "create-error")
    source.fill(source.input_value().replace("kind: chioce", "kind: choice"))
    page.get_by_role("button", name="Create and schedule").click()
    expect(page.get_by_text("Evaluation created")).to_be_visible()
    found = Round.objects.get()
    assert found.opens_on <= timezone.localdate() <= found.closes_on

    answer_as(browser, live_server, personas, "theo@example.org", "4: Very", "theo")
    answer_as(browser, live_server, personas, "mia@example.org", "5: Extremely", "mia")
    assert Response.objects.count() == 2

    page.reload()
    # Two of two: counts of fewer than five people, and so no rate (lib.suppression).
    expect(page.locator("#response-rate")).to_have_text("fewer than 5 of fewer than 5 asked so far")
    expect(page.locator(".suppressed")).to_have_count(3)
    expect(page.locator(".suppressed").first).to_contain_text("fewer than 5 answers")
    assert CANARY not in page.content()
    both_widths(page, "cora-summary")
    page.get_by_role("link", name="Evaluations · Peer Mentoring").click()
    row = page.get_by_role("row").filter(has_text="Midpoint evaluation")
    expect(row.get_by_role("cell")).to_have_text(
        ["Midpoint evaluation", "Open", "fewer than 5", "fewer than 5", "—"]
    )
    assert CANARY not in page.content()
