"""Browser tests: headless Debian Chromium driving pytest-django's live server.

Chromium is required, never skipped: a missing browser fails every browser test with a
message naming the fix, so a green run proves the journeys were exercised.
"""

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from mentorpact.test import PASSWORD, PersonasMixin

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Debian's chromium, never a Playwright download (`playwright install` fails here).
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Browser tests need Debian's chromium on PATH. Run scripts/ensure-system-packages "
            "(as root it installs it) or `apt-get install chromium`.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


class _NoSetUp:
    def setUp(self) -> None:
        pass


class Personas(PersonasMixin, _NoSetUp):
    """Cora, Mia, Theo and Olive from mentorpact.test, outside a TestCase.

    live_server tests need real commits (the server thread has its own connection), so they
    use the `transactional_db` fixture instead of TestCase's rolled-back transaction.
    """

    password = PASSWORD


@pytest.fixture
def personas(transactional_db) -> Personas:
    people = Personas()
    people.setUp()
    return people


def watch_console(page: Page, errors: list[str]) -> None:
    """Collect the page's console errors and uncaught exceptions into `errors`.

    A page a journey opens on purpose to be refused (a 403 or 404 document) makes Chromium
    log "Failed to load resource" for that document: that is the answer being tested, not a
    defect of the page, so it is left out. The same message for any other resource (a
    missing stylesheet, a script, an htmx request) counts.
    """
    refused_documents: set[str] = set()

    def on_response(response) -> None:
        if response.request.resource_type == "document" and response.status >= 400:
            refused_documents.add(response.url)

    def on_console(message) -> None:
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") in refused_documents
        ):
            return
        errors.append(f"{page.url}: {message.text}")

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """Every browser test's page, failing the test if any page of its journey logged a
    console error (our CSP refuses inline scripts and styles, so a page that tries one shows
    here), with a 10 s timeout for a missing element instead of Playwright's 30 s."""
    page.set_default_timeout(10_000)
    errors: list[str] = []
    watch_console(page, errors)
    yield page
    assert errors == [], "console errors:\n" + "\n".join(errors)


def sign_in(page: Page, live_server, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real sign-in page, as a person would."""
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture
def screenshot(page: Page, request: pytest.FixtureRequest) -> Callable[..., Path]:
    """take("step") saves test-artifacts/screenshots/<test name>-<step>.png (the whole page).

    Pass `of=` to photograph another page (one from a second browser context).
    """
    test_name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(step: str, of: Page | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test_name}-{step}.png"
        (of or page).screenshot(path=path, full_page=True)
        return path

    return take


def assert_no_horizontal_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways: {scroll_width}px wide at {width}px"
