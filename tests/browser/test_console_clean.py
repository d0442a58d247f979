"""No console errors: our CSP allows no inline script or style, so anything that tries one
(htmx's indicator style did, on every page) shows as a console error. Every browser test's
`page` fails on one (tests/browser/conftest.py); this walk opens the everyday pages that the
journeys might not."""

import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in, watch_console

pytestmark = pytest.mark.browser


def test_the_everyday_pages_log_no_console_errors(page, live_server, personas):
    code = personas.partnership.public_id
    page.goto(live_server.url + reverse("accounts:login"))
    sign_in(page, live_server, personas.mia.email)
    for path in (
        reverse("partnerships:mine"),
        reverse("partnerships:detail", args=[code]),
        reverse("meetings:log", args=[code]),
        reverse("meetings:calendar"),
        reverse("agreements:verify"),
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    sign_in(page, live_server, personas.cora.email)
    page.goto(live_server.url + reverse("programs:overview", args=[personas.program.public_id]))
    page.wait_for_load_state("networkidle")


def test_the_watch_counts_a_real_error_but_not_a_refused_page(browser, live_server):
    # Its own context, not the `page` fixture, whose watch would fail this test on purpose.
    context = browser.new_context()
    watched = context.new_page()
    errors: list[str] = []
    watch_console(watched, errors)
    watched.goto(live_server.url + "/no-such-page/")  # a 404 document: the answer, not a defect
    assert errors == []
    watched.evaluate("console.error('boom')")
    watched.wait_for_timeout(200)
    context.close()
    assert len(errors) == 1 and errors[0].endswith("/no-such-page/: boom")
