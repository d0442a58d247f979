"""The coordinator's template journey in a real browser: choose a built-in for the program,
clone it, edit the clone (an error first: the message shows and the text stays), fix it,
save a new version, preview it."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorpact.agreement_templates.models import AgreementTemplate
from tests.browser.conftest import assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def source_box(page: Page):
    return page.get_by_label("Template (YAML)")


def test_cora_chooses_clones_edits_and_previews_her_programs_template(
    page, live_server, personas, screenshot
):
    sign_in(page, live_server, "cora@example.org")
    page.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
    page.get_by_role("link", name="Agreement template").click()
    expect(page.get_by_role("heading", name="Agreement template", level=1)).to_be_visible()
    expect(page.get_by_text("No template yet")).to_be_visible()

    # Choose a built-in (htmx swaps the chooser in place).
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role(
        "button", name=re.compile(r"^Use this template\W+Mentoring Partnership Agreement \(aspe")
    ).click()
    chooser = page.locator("#template-chooser")
    expect(
        chooser.get_by_text("New agreements in Peer Mentoring will be drafted from")
    ).to_be_visible()
    expect(
        chooser.get_by_text("aspe-partnership · version 1 · built-in (read-only)")
    ).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    screenshot("chosen")

    # Clone it for the program.
    page.get_by_label("Copy of").select_option("aspe-partnership")
    page.get_by_label("Short name of the copy").fill("peer-2027")
    page.get_by_label("Title of the copy").fill("Peer Mentoring Agreement 2027")
    page.get_by_role("button", name="Make the copy").click()
    # The copy opens in the form editor; the YAML editor is its "Advanced" link.
    expect(page.get_by_role("heading", name="Build Peer Mentoring Agreement 2027")).to_be_visible()
    expect(page.get_by_text("is Peer Mentoring's own copy of")).to_be_visible()
    page.get_by_role("link", name="Advanced: edit the YAML").click()
    expect(page.get_by_role("heading", name="Edit Peer Mentoring Agreement 2027")).to_be_visible()

    # An error: not saved, the message is beside the source, the text is kept.
    broken = source_box(page).input_value().replace('label: "Goal:"', 'lable: "Goal:"')
    source_box(page).fill(broken)
    page.get_by_role("button", name="Save as a new version").click()
    errors = page.locator("#source-errors")
    expect(errors).to_contain_text("Not saved")
    expect(errors).to_contain_text('unknown attribute "lable" (did you mean "label"?)')
    expect(errors.get_by_role("link", name=re.compile(r"Line \d+"))).to_have_count(2)
    assert source_box(page).input_value() == broken
    screenshot("error")
    assert AgreementTemplate.objects.get(slug="peer-2027").versions.count() == 1

    # The error's line link puts the cursor on that line.
    errors.get_by_role("link", name=re.compile(r"Line \d+")).first.click()
    selected = page.evaluate(
        "(() => { const s = document.getElementById('source');"
        " return s.value.slice(s.selectionStart, s.selectionEnd); })()"
    )
    assert "lable" in selected

    # The live preview follows the typing once the text is valid again.
    fixed = broken.replace('lable: "Goal:"', 'label: "Our shared goal:"')
    source_box(page).fill(fixed)
    source_box(page).press("End")
    preview = page.locator("#preview")
    expect(preview.get_by_text("Our shared goal:")).to_be_visible()

    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible()
    assert AgreementTemplate.objects.get(slug="peer-2027").latest_version().number == 2

    # Preview the saved version as partners will see it.
    page.get_by_role("link", name="Preview", exact=True).click()
    expect(
        page.get_by_role("heading", name="Preview: Peer Mentoring Agreement 2027")
    ).to_be_visible()
    expect(page.get_by_label("Our shared goal:")).to_be_disabled()
    screenshot("preview")
    page.get_by_role("link", name="Print layout").first.click()
    expect(page.locator(".ag-print h1")).to_have_text("Peer Mentoring Agreement 2027")
    screenshot("print")


def test_the_template_pages_fit_a_phone(browser, live_server, personas, screenshot):
    context = browser.new_context(viewport=PHONE)
    phone = context.new_page()
    sign_in(phone, live_server, "cora@example.org")
    for name in ("preview", "print"):
        phone.goto(
            live_server.url + reverse(f"agreement_templates:{name}", args=["whprms-partnership"])
        )
        expect(phone.locator("h1").first).to_be_visible()
        assert_no_horizontal_scroll(phone, PHONE["width"])
        screenshot(f"phone-{name}", of=phone)
    phone.goto(
        live_server.url + reverse("agreement_templates:program", args=[personas.program.public_id])
    )
    assert_no_horizontal_scroll(phone, PHONE["width"])
    context.close()
