"""The foundation's journeys in a real browser: sign in, the program overview, access, phones."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from mentorpact.accounts.models import User
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment
from tests.browser.conftest import Personas, assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def add_partnerships(personas: Personas, count: int, status: str, first: int = 0) -> None:
    """More of Mia's mentees in Cora's program, each partnership moved to `status`."""
    for i in range(first, first + count):
        mentee = User.objects.create_user(
            f"mentee{i}@example.org", None, full_name=f"Mentee {i:02d}"
        )
        Enrolment.objects.create(program=personas.program, user=mentee, role=Enrolment.Role.MENTEE)
        partnership = partnership_services.create_partnership(
            program=personas.program, mentor=personas.mia, mentee=mentee, actor=personas.cora
        )
        if status != Partnership.Status.DRAFTING:
            partnership_services.change_status(
                partnership=partnership, to_status=status, actor=personas.cora
            )


def overview_rows(page: Page):
    return page.locator("#partnership-list tbody tr")


def test_a_person_signs_in_and_sees_their_partnerships(page, live_server, personas, screenshot):
    sign_in(page, live_server, "theo@example.org")

    expect(page.get_by_role("heading", name="My partnerships", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Mia Mentor")).to_be_visible()
    expect(page.get_by_text("You are the mentee")).to_be_visible()
    screenshot("signed-in")


def test_a_wrong_password_shows_the_error_beside_the_form_and_keeps_the_email(
    page, live_server, personas, screenshot
):
    sign_in(page, live_server, "cora@example.org", password="not-her-password")

    form = page.locator("form", has=page.get_by_label("Email address"))
    expect(form.get_by_role("alert")).to_contain_text("email address and password do not match")
    expect(page.get_by_label("Email address")).to_have_value("cora@example.org")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/$"))
    screenshot("error")


def test_cora_filters_her_program_overview_with_htmx_and_pages_through(
    page, live_server, personas, screenshot, settings
):
    settings.PAGE_SIZE = 3
    add_partnerships(personas, 4, Partnership.Status.ACTIVE)
    add_partnerships(personas, 2, Partnership.Status.DRAFTING, first=4)
    sign_in(page, live_server, "cora@example.org")

    page.get_by_role("link", name="Peer Mentoring").click()
    expect(page.get_by_role("heading", name="Peer Mentoring", level=1)).to_be_visible()
    expect(overview_rows(page)).to_have_count(3)
    expect(page.get_by_text("Page 1 of 3")).to_be_visible()
    screenshot("all")

    # A full page load would drop this marker; an htmx fragment swap keeps it.
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Show").select_option(label="Agreement in effect (4)")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    expect(page).to_have_url(re.compile(r"\?status=active$"))
    assert page.evaluate("window.stillTheSamePage") is True
    expect(overview_rows(page)).to_have_count(3)
    expect(overview_rows(page).filter(has_text="Agreement in effect")).to_have_count(3)
    screenshot("active-page-1")

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(overview_rows(page)).to_have_count(1)
    expect(overview_rows(page)).to_contain_text("Agreement in effect")
    expect(page.get_by_label("Show")).to_have_value("active")
    screenshot("active-page-2")


def test_the_status_filter_works_without_javascript(
    browser: Browser, live_server, personas, screenshot
):
    add_partnerships(personas, 2, Partnership.Status.ACTIVE)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, "cora@example.org")
        page.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
        expect(overview_rows(page)).to_have_count(3)

        page.get_by_label("Show").select_option("drafting")
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"\?status=drafting$"))
        expect(overview_rows(page)).to_have_count(1)
        expect(overview_rows(page)).to_contain_text("Drafting agreement")
        screenshot("drafting", of=page)
    finally:
        context.close()


def test_olive_gets_the_not_found_page_for_mias_partnership(
    page, live_server, personas, screenshot
):
    sign_in(page, live_server, "olive@example.org")

    response = page.goto(
        live_server.url + reverse("partnerships:detail", args=[personas.partnership.public_id])
    )

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text("Theo Mentee")).to_have_count(0)
    screenshot("404")


def test_pages_fit_a_360px_phone_without_sideways_scrolling(
    page, live_server, personas, screenshot
):
    add_partnerships(personas, 3, Partnership.Status.ACTIVE)
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + reverse("accounts:login"))
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot("sign-in")

    sign_in(page, live_server, "cora@example.org")
    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot("my-partnerships")

    page.get_by_role("link", name="Peer Mentoring").click()
    expect(overview_rows(page)).to_have_count(4)
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot("overview")


def test_a_mentors_partnerships_fit_a_360px_phone(page, live_server, personas, screenshot):
    add_partnerships(personas, 2, Partnership.Status.ACTIVE)
    page.set_viewport_size(PHONE)

    sign_in(page, live_server, "mia@example.org")

    expect(page.get_by_role("heading", name="My partnerships")).to_be_visible()
    expect(page.locator(".cards > li")).to_have_count(3)
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot("my-partnerships")
