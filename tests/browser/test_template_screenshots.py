"""Screenshots of each seed form, to compare with the seed by eye: the screen form as the
mentee sees it (1280 and 360 px wide), the print layout, and the PDF blank and filled in
(WeasyPrint, then pdftoppm). Saved under test-artifacts/screenshots/templates/."""

import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.rendering import build_print, print_pdf
from mentorpact.agreement_templates.schema import builtin_templates
from mentorpact.agreement_templates.tests import sample_values
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

FOLDER = SCREENSHOTS / "templates"
SEEDS = sorted(builtin_templates())


def pdf_pages(data: bytes, stem: str) -> list:
    path = FOLDER / f"{stem}.pdf"
    path.write_bytes(data)
    for old in FOLDER.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(path), str(FOLDER / stem)], check=True)
    return sorted(FOLDER.glob(f"{stem}-*.png"))


@pytest.mark.parametrize("slug", SEEDS)
def test_each_seed_form_rendered_on_screen_on_a_phone_and_on_paper(
    slug, browser, live_server, personas
):
    FOLDER.mkdir(parents=True, exist_ok=True)
    title = AgreementTemplate.objects.get(slug=slug).title
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        sign_in(page, live_server, "cora@example.org")
        page.goto(live_server.url + reverse("agreement_templates:preview", args=[slug]))
        expect(page.locator(".ag-title")).to_have_text(title)
        assert_no_horizontal_scroll(page, width)
        page.screenshot(path=FOLDER / f"{slug}-screen-{width}.png", full_page=True)
        page.goto(live_server.url + reverse("agreement_templates:print", args=[slug]))
        expect(page.locator(".ag-print h1")).to_have_text(title)
        assert_no_horizontal_scroll(page, width)
        page.screenshot(path=FOLDER / f"{slug}-print-{width}.png", full_page=True)
        if width == 1280:
            page.emulate_media(media="print")
            page.screenshot(path=FOLDER / f"{slug}-print-media.png", full_page=True)
            expect(page.locator(".site-header")).to_be_hidden()
        context.close()

    template = AgreementTemplate.objects.get(slug=slug).latest_version().as_template()
    blank = pdf_pages(print_pdf(build_print(template)), f"{slug}-pdf-blank")
    signatures = [
        {"role": role, "typed_name": name, "date": "2 February 2027"}
        for role, name in zip(
            template.signers, ("Mia Mentor", "Theo Mentee", "Cora Coordinator"), strict=False
        )
    ]
    filled = pdf_pages(
        print_pdf(
            build_print(template, sample_values(template), signatures=signatures, is_draft=False)
        ),
        f"{slug}-pdf-filled",
    )
    assert blank and filled
