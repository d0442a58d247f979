"""No console errors: our CSP allows no inline script or style, so anything that tries one
(htmx's indicator style did, on every page) shows as a console error here."""

import pytest
from django.urls import reverse

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_everyday_pages_log_no_console_errors(page, live_server, personas):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
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
    assert errors == []
