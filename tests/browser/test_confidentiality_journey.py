"""The pilot's exceptions to confidentiality, in a real browser: Cora names the program's
safeguarding contact; Theo proposes an agreed disclosure and Mia agrees and logs a use; then,
separately, Mia records a disclosure in serious danger, which emails the designated contact,
and records when Theo was told. Theo never sees the serious-danger record.

Screenshots go to test-artifacts/screenshots/confidentiality/, at 1280 and 360 px wide.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.confidentiality.models import DangerDisclosure
from mentorpact.meetings.tests.base import install_builtin
from mentorpact.outbox.models import Email
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in, watch_console

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SHOTS = SCREENSHOTS / "confidentiality"
REASON = "Theo told me he intends to harm a colleague tomorrow."


def both_widths(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}-1280.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.screenshot(path=SHOTS / f"{name}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    return path


def person(browser: Browser, live_server, email: str, errors: list[str]) -> Page:
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.set_default_timeout(10_000)
    watch_console(page, errors)
    sign_in(page, live_server, email)
    return page


def test_the_pilots_agreed_and_serious_danger_disclosures(
    page: Page, browser: Browser, live_server, personas
):
    set_template(personas.program, install_builtin("university-pilot"))
    code = personas.partnership.public_id
    errors: list[str] = []

    # Cora names herself the program's safeguarding contact.
    cora = person(browser, live_server, "cora@example.org", errors)
    cora.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
    cora.get_by_role("link", name="Safeguarding").click()
    cora.get_by_label("Designated safeguarding contact").select_option(str(personas.cora.public_id))
    cora.get_by_role("button", name="Save").click()
    expect(cora.get_by_text("Saved.")).to_be_visible()

    # Theo proposes an agreed disclosure from the partnership page.
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server, "theo@example.org")
    page.goto(live_server.url + reverse("partnerships:detail", args=[code]))
    page.get_by_role("link", name="Confidentiality: the agreed exceptions").click()
    page.get_by_label("Who the mentor may speak to").fill("Dr Rivera, head of department")
    page.get_by_role("button", name="Propose (your partner agrees)").click()
    expect(page.get_by_text("Fill this in.").first).to_be_visible()  # beside the fields
    expect(page.get_by_label("Who the mentor may speak to")).to_have_value(
        "Dr Rivera, head of department"
    )
    page.get_by_label("The boundaries of the discussion").fill("My workload, nothing personal")
    page.get_by_label("For which issue").fill("Too much teaching this term")
    page.get_by_role("button", name="Propose (your partner agrees)").click()
    expect(page.get_by_text("Proposed: your partner is asked to agree")).to_be_visible()

    # Mia agrees and logs a use.
    mia = person(browser, live_server, "mia@example.org", errors)
    mia.goto(live_server.url + reverse("confidentiality:page", args=[code]))
    mia.get_by_role("button", name="Agree", exact=True).click()
    expect(mia.get_by_text("Agreed.", exact=True)).to_be_visible()
    mia.get_by_label("When").fill(timezone.localdate().isoformat())
    mia.get_by_label("To whom").fill("Dr Rivera")
    mia.get_by_label("Note (only the two of you see it)").fill("We moved one seminar.")
    mia.get_by_role("button", name="Log this use").click()
    expect(mia.get_by_text("Use logged.")).to_be_visible()
    expect(mia.get_by_text("We moved one seminar.")).to_be_visible()
    both_widths(mia, "agreed")

    # Separately: a disclosure in serious danger, which emails the designated contact.
    mia.get_by_role("link", name="Record a disclosure in serious danger").click()
    mia.get_by_label("To whom you are disclosing").fill("Campus security")
    mia.get_by_label("Why: the evidence of serious danger or a crime").fill(REASON)
    both_widths(mia, "danger-form")
    mia.get_by_role("button", name="Record and alert the safeguarding contact").click()
    expect(
        mia.get_by_text("Recorded: Cora Coordinator, the safeguarding contact, is alerted.")
    ).to_be_visible()
    expect(mia.get_by_text(REASON)).to_be_visible()
    alert = Email.objects.get(kind="confidentiality-danger")
    assert alert.to == "cora@example.org"
    assert REASON not in alert.body
    mia.get_by_label("When the mentee was told").fill(timezone.localdate().isoformat())
    mia.get_by_role("button", name="Record that the mentee was told").click()
    expect(mia.get_by_text("Recorded.", exact=True)).to_be_visible()
    both_widths(mia, "danger-record")
    record = DangerDisclosure.objects.get()
    assert record.mentee_told_at is not None

    # The contact reads it from the email's link; Theo cannot.
    cora.goto(live_server.url + reverse("confidentiality:danger_record", args=[record.public_id]))
    expect(cora.get_by_text(REASON)).to_be_visible()
    response = page.goto(
        live_server.url + reverse("confidentiality:danger_record", args=[record.public_id])
    )
    assert response is not None and response.status == 404
    page.goto(live_server.url + reverse("confidentiality:page", args=[code]))
    expect(page.get_by_text("We moved one seminar.")).to_be_visible()
    expect(page.get_by_text(REASON)).to_have_count(0)
    for other in (cora, mia):
        other.context.close()
    assert errors == []
