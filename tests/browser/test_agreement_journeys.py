"""The agreement in a real browser: Mia and Theo, each in their own browser context, draft
together, one save is refused as stale, both sign, download the sealed PDF; Cora, the
coordinator, sees what the template allows and no more.

The PDFs are written to test-artifacts/ and their pages rendered to PNG (pdftoppm) beside the
screenshots, to be looked at.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import sealing, selectors, services
from mentorpact.agreements.tests.base import MENTEE_PART, MENTOR_PART, make_template
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

ARTIFACTS = SCREENSHOTS.parent


@pytest.fixture
def agreement_settings(settings, tmp_path):
    # Sealing and emails run at once (no worker in a test), with the key in a scratch folder.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AGREEMENT_SIGNING_KEY = settings.AGREEMENT_SIGNING_CERT = ""
    return settings


def use_template(personas, distribution: str) -> None:
    set_template(personas.program, make_template(distribution, slug=f"pact-{distribution}"))


def context_page(browser: Browser, live_server, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, email)
    return page


def pdf_pages_to_png(pdf: Path, stem: str) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / stem)], check=True)
    return sorted(SCREENSHOTS.glob(f"{stem}-*.png"))


def download(page: Page, link_name: str, to: Path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).first.click()
    info.value.save_as(to)
    return to.read_bytes()


def filled_in_draft(personas):
    """The persona partnership's agreement with both partners' parts written."""
    agreement = services.start_agreement(partnership=personas.partnership, actor=personas.mia)
    for user, part in ((personas.theo, MENTEE_PART), (personas.mia, MENTOR_PART)):
        draft = selectors.draft_version(agreement)
        services.save_draft(
            agreement=agreement, user=user, values=part, based_on_revision=draft.revision
        )
    return agreement


def test_mentor_and_mentee_draft_sign_and_download(
    browser: Browser, live_server, personas, agreement_settings, screenshot
):
    assert shutil.which("pdftoppm"), "poppler-utils is needed to look at the PDF pages"
    use_template(personas, "program")
    personas.theo.time_zone = "Europe/Berlin"  # times are shown in each person's own zone
    # Chosen by Theo, so his first sign-in does not adopt the headless browser's UTC.
    personas.theo.time_zone_chosen = True
    personas.theo.save()
    url = live_server.url + reverse("agreements:agreement", args=[personas.partnership.public_id])
    theo = context_page(browser, live_server, "theo@example.org")
    mia = context_page(browser, live_server, "mia@example.org")

    # Theo starts the agreement (a page only drafts on this POST); Mia sees the same revision.
    theo.goto(url)
    theo.get_by_role("button", name="Start the agreement").click()
    expect(theo.get_by_role("heading", name="Draft: version 1")).to_be_visible()
    mia.goto(url)
    expect(mia.get_by_text("Theo Mentee (mentee) fills this in")).to_be_visible()
    screenshot("1-draft-opened", of=theo)

    # Theo writes his part and a shared field; the htmx save swaps the draft in place.
    theo.get_by_label("My goals as a mentee").fill(MENTEE_PART["mentee_goals"])
    theo.get_by_label("How often we meet").fill(MENTEE_PART["frequency"])
    theo.get_by_role("button", name="Save draft").click()
    expect(theo.get_by_text("Draft saved.")).to_be_visible()
    screenshot("2-theo-saved", of=theo)

    # Mia's page still shows revision 1: her save is refused, and says what Theo changed.
    mia.get_by_label("My goals as a mentor").fill(MENTOR_PART["mentor_goals"])
    mia.get_by_label("How often we meet").fill("Monthly")
    mia.get_by_role("button", name="Save draft").click()
    refused = mia.locator("#stale")
    expect(refused).to_contain_text("Not saved.")
    expect(refused).to_contain_text("Theo Mentee changed")
    expect(refused).to_contain_text(MENTEE_PART["frequency"])
    expect(mia.get_by_label("My goals as a mentor")).to_have_value(MENTOR_PART["mentor_goals"])
    screenshot("3-mia-stale-save-refused", of=mia)
    draft = selectors.draft_version(personas.partnership.agreements.get())
    assert draft.content["frequency"] == MENTEE_PART["frequency"]  # nothing overwritten

    # She keeps Theo's wording for the shared field and saves again: it applies.
    mia.get_by_label("How often we meet").fill(MENTEE_PART["frequency"])
    mia.get_by_role("button", name="Save draft").click()
    expect(mia.get_by_text("Draft saved.")).to_be_visible()
    draft_pdf = download(mia, "Download this draft as PDF", ARTIFACTS / "agreement-draft.pdf")
    assert not sealing.verify_pdf(draft_pdf).intact

    # Theo reads and signs, consenting to sign electronically on the way.
    theo.goto(url)
    theo.get_by_role("link", name="Read and sign version 1").click()
    expect(theo.get_by_role("heading", name="Sign version 1")).to_be_visible()
    theo.get_by_label("I agree to do business electronically").check()
    theo.get_by_label("Type your full name to sign").fill("Theo Mentee")
    screenshot("4-theo-signing", of=theo)
    theo.get_by_role("button", name="Sign version 1").click()
    expect(theo.get_by_text("You signed version 1. Your partner signs next.")).to_be_visible()
    expect(theo.locator(".sign-status")).to_contain_text("(Europe/Berlin)")
    screenshot("5-theo-signed", of=theo)
    assert [m.subject for m in mail.outbox if m.to == ["mia@example.org"]] == [
        "Your turn to sign your mentoring agreement"
    ]

    # Mia signs: the agreement is in effect, and both get the sealed PDF by email.
    mia.goto(url)
    mia.get_by_role("link", name="Read and sign version 1").click()
    mia.get_by_label("I agree to do business electronically").check()
    mia.get_by_label("Type your full name to sign").fill("Mia Mentor")
    # The second signature puts it in effect, and with the immediate task backend the request
    # also seals the PDF and sends the emails: seconds on a loaded machine, so this click
    # waits longer than the 10 s a missing element gets.
    mia.get_by_role("button", name="Sign version 1").click(timeout=60_000)
    expect(mia.get_by_text("version 1 is in effect")).to_be_visible()
    expect(mia.get_by_role("heading", name="In effect: version 1")).to_be_visible()
    screenshot("6-in-effect", of=mia)
    assert sorted(m.to[0] for m in mail.outbox if m.attachments) == [
        "mia@example.org",
        "office@example.org",
        "theo@example.org",
    ]

    # Theo downloads the signed PDF: sealed, intact, the same bytes as emailed.
    theo.goto(url)
    signed = download(theo, "Download the signed PDF", ARTIFACTS / "agreement-signed.pdf")
    result = sealing.verify_pdf(signed)
    assert result.intact, result.reason
    assert result.identity.partnership == str(personas.partnership.public_id)
    assert signed == next(m for m in mail.outbox if m.to == ["theo@example.org"]).attachments[0][1]
    assert len(pdf_pages_to_png(ARTIFACTS / "agreement-signed.pdf", "agreement-signed-pdf")) >= 3
    assert pdf_pages_to_png(ARTIFACTS / "agreement-draft.pdf", "agreement-draft-pdf")

    # The history lists both versions' events for both partners.
    theo.get_by_role("link", name="History").first.click()
    expect(theo.get_by_role("heading", name="History of the agreement")).to_be_visible()
    expect(theo.get_by_text("Agreement in effect: version 1, signed by everyone")).to_be_visible()
    screenshot("7-history", of=theo)

    # Cora: this template returns signed agreements to the program, so she may read it.
    cora = context_page(browser, live_server, "cora@example.org")
    cora.goto(url)
    expect(cora.get_by_text("you can read the version in effect")).to_be_visible()
    expect(cora.get_by_role("button", name="Save draft")).to_have_count(0)
    screenshot("8-coordinator-program", of=cora)


def test_between_the_pair_the_coordinator_sees_only_that_it_is_signed(
    browser: Browser, live_server, personas, agreement_settings, screenshot
):
    use_template(personas, "pair")
    agreement = filled_in_draft(personas)
    for user in (personas.theo, personas.mia):
        draft = selectors.draft_version(agreement)
        services.give_esign_consent(user=user, agreement=agreement, ip=None, user_agent="")
        role = personas.partnership.role_of(user)
        services.sign_agreement(
            version=draft,
            user=user,
            typed_name=user.full_name,
            intent_statement=selectors.signing_statement(version=draft, user=user, role=role),
            ip=None,
            user_agent="",
            content_sha256_shown=draft.content_sha256,
        )
    assert agreement.versions.get(number=1).sealed_pdf  # the seal task ran
    code = personas.partnership.public_id
    cora = context_page(browser, live_server, "cora@example.org")
    cora.goto(live_server.url + reverse("agreements:agreement", args=[code]))
    expect(cora.locator("#pair-only")).to_contain_text("Signed on")
    expect(cora.get_by_text(MENTEE_PART["mentee_goals"])).to_have_count(0)
    expect(cora.get_by_role("link", name="Download the signed PDF")).to_have_count(0)
    screenshot("1-coordinator-pair", of=cora)
    response = cora.goto(live_server.url + reverse("agreements:version", args=[code, 1, 1]))
    assert response.status == 403
    expect(cora.get_by_text("stay between mentor and mentee")).to_be_visible()
    screenshot("2-coordinator-pair-refused", of=cora)


def test_the_agreement_pages_fit_a_360px_phone(
    browser: Browser, live_server, personas, agreement_settings, screenshot
):
    use_template(personas, "program")
    filled_in_draft(personas)
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, live_server, "theo@example.org")
    code = personas.partnership.public_id
    for name in ("agreement", "sign", "history"):
        page.goto(live_server.url + reverse(f"agreements:{name}", args=[code]))
        assert_no_horizontal_scroll(page, 360)
        screenshot(f"phone-{name}", of=page)
