"""axe-core on every page of the product, as each persona who sees it, and on each form's
error state: any violation of impact "serious" or "critical" fails (issue 13, item 8). Each
page is also shown at 320 px, where it must not scroll sideways or hide a table cell.

How to add a page (a new app's URL fails `test_every_url_pattern_has_an_axe_visit`, which
names it): key an entry of AXE_VISITS by the pattern's namespaced name, either

    "myapp:page": [Visit("cora"), Visit("mia", errors=True)],

a list of visits (a persona: anonymous, cora, mia, theo, olive or admin, a superuser), or

    "myapp:export": NotAPage("a CSV download"),

for a URL that is no HTML page (a file, a feed, a POST-only action whose form sits on
another page: say which). A visit's URL kwargs come from the access matrix's entry
(mentorpact/tests/test_access_matrix.py, `Probe.kwargs`), so the objects it needs are made
the same way; give `kwargs=` to override, `query=` for a query string. `errors=True` then
empties the page's first POST form (text fields, text areas) and submits it: the page must
come back with an error summary (`[data-error-summary]`), focused, and pass axe too; give
`errors="<css selector of the form>"` when that form is not the first.

All visits run in one test: one browser, one live server, one database set-up, one browser
context per persona (signed in by cookie), axe injected into every page (the CSP is
bypassed for it only in this test).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from mentorpact.accounts.models import User
from mentorpact.tests.test_access_matrix import MATRIX, url_patterns

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
FAILING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class Visit:
    persona: str
    errors: bool | str = False  # True: the first POST form, emptied and sent; or its selector
    kwargs: Callable | None = None  # default: the access matrix entry's kwargs
    query: str = ""


@dataclass(frozen=True)
class NotAPage:
    reason: str


CORA, MIA, THEO, ANON = Visit("cora"), Visit("mia"), Visit("theo"), Visit("anonymous")

AXE_VISITS: dict[str, list[Visit] | NotAPage] = {
    "home": NotAPage("redirects to partnerships:mine"),
    "health": NotAPage("a plain-text health check"),
    # --- accounts and privacy ---
    "accounts:login": [ANON, Visit("anonymous", errors=True)],
    "accounts:logout": NotAPage("POST only: the header's Sign out button"),
    "accounts:profile": [MIA, Visit("mia", errors=True)],
    "accounts:email_change": NotAPage("POST only: its form is on accounts:profile"),
    "accounts:token_create": NotAPage("POST only: its form is on accounts:profile"),
    "accounts:token_revoke": NotAPage("POST only: its button is on accounts:profile"),
    "accounts:email_confirm": [ANON],
    "accounts:password_change": [MIA, Visit("mia", errors=True)],
    "accounts:password_reset": [ANON, Visit("anonymous", errors=True)],
    "accounts:password_reset_done": [ANON],
    "accounts:password_reset_confirm": [ANON],
    "accounts:password_reset_complete": [ANON],
    "privacy:my_data": [MIA],
    "privacy:download": NotAPage("a ZIP download"),
    "privacy:delete": NotAPage("POST only: its form is on privacy:my_data"),
    "privacy:deleted": [ANON],
    # --- partnerships, programs, pairing ---
    "partnerships:mine": [CORA, MIA, THEO, Visit("olive")],
    "partnerships:detail": [CORA, MIA, THEO],
    "programs:overview": [CORA],
    "pairing:page": [CORA, Visit("cora", errors="form.pair-form")],
    "pairing:csv": [CORA],
    "pairing:import_csv": NotAPage("POST only: the import button on pairing:csv"),
    "pairing:unpair": NotAPage("POST only: the Undo buttons on pairing:page"),
    # --- the program office ---
    "office:programs": [Visit("admin"), Visit("admin", errors=True)],
    "sso:providers": [Visit("admin")],
    "sso:new_provider": [Visit("admin"), Visit("admin", errors=True)],
    "sso:provider": [Visit("admin"), Visit("admin", errors=True)],
    "sso:start": NotAPage("redirects to the institution's provider (test_sso_journey)"),
    "sso:callback": NotAPage("the provider's redirect back: signs in, then redirects"),
    "office:mine": [CORA],
    "office:archive": NotAPage("POST only: the Archive buttons on office:programs"),
    "office:settings": [CORA, Visit("cora", errors=True)],
    "office:add_coordinator": NotAPage("POST only: its form is on office:settings"),
    "office:remove_coordinator": NotAPage("POST only: the Remove links on office:settings"),
    "office:roster": [CORA],
    "office:invite": [CORA, Visit("cora", errors=True)],
    "office:import": [CORA],
    "office:confirm_import": NotAPage("POST only: the Import button on office:import"),
    "office:import_status": [CORA],
    "office:resend": NotAPage("POST only: the Resend links on office:roster"),
    "office:revoke": NotAPage("POST only: the Revoke links on office:roster"),
    "office:deliveries": [CORA],
    "webhooks:program": [CORA, Visit("cora", errors=True)],
    "webhooks:remove": NotAPage("POST only: its button is on webhooks:program"),
    # The REST API: JSON, and Swagger UI's own page (django-ninja's vendored copy, not our
    # templates); its operations are JSON too and are left out below.
    "api_v1:openapi-json": NotAPage("the API's JSON schema"),
    "api_v1:openapi-view": NotAPage("Swagger UI's own page, vendored with django-ninja"),
    "api_v1:api-root": NotAPage("404: the API has no page at its root"),
    "office:retry": NotAPage("POST only: the Send again buttons on office:deliveries"),
    "office:accept": [ANON, Visit("anonymous", errors=True)],
    # --- agreement templates ---
    "agreement_templates:program": [CORA],
    "agreement_templates:choose": NotAPage("POST only: its form is on agreement_templates:program"),
    "agreement_templates:clone": NotAPage("POST only: its form is on agreement_templates:program"),
    "agreement_templates:new": NotAPage("POST only: its form is on agreement_templates:program"),
    "agreement_templates:build": [CORA, Visit("cora", errors=True)],
    "agreement_templates:reference": [CORA],
    "agreement_templates:edit": [CORA, Visit("cora", errors=True)],
    "agreement_templates:preview": [CORA],
    "agreement_templates:print": [CORA],
    "agreement_templates:pdf": NotAPage("a PDF"),
    # --- agreements ---
    "agreements:agreement": [CORA, MIA, THEO],
    "agreements:start": NotAPage("POST only: its button is on agreements:agreement"),
    # The signing form shows once the draft is complete: its error state is covered by
    # mentorpact/agreements/tests (the sign view) and the agreement journeys.
    "agreements:sign": [MIA],
    "agreements:steps": [MIA, THEO],
    # An emptied step is a valid save (a draft may be incomplete), like the whole form: its
    # error state is the keyboard journey's (test_agreement_steps_keyboard.py).
    "agreements:step": [THEO, MIA],
    "agreements:withdraw_consent": NotAPage("POST only: its button is on agreements:sign"),
    "agreements:amend": NotAPage("POST only: its button is on agreements:agreement"),
    "agreements:history": [MIA],
    "agreements:version": [MIA],
    "agreements:pdf": NotAPage("a PDF"),
    "agreements:verify": [ANON],
    "agreements:name_signer": NotAPage("POST only: its form is on agreements:agreement"),
    "agreements:invited_sign": [ANON],
    # --- meetings ---
    "meetings:log": [MIA, THEO, Visit("theo", errors="form.note-form")],
    "meetings:schedule": [MIA, Visit("mia", errors=True)],
    "meetings:record_past": [THEO, Visit("theo", errors=True)],
    "meetings:detail": [MIA, THEO],
    "meetings:held": [THEO, Visit("theo", errors=True)],
    "meetings:reschedule": [THEO, Visit("theo", errors=True)],
    "meetings:cancel": [THEO, Visit("theo", errors=True)],
    "meetings:ics": NotAPage("an .ics file"),
    "meetings:feedback": [THEO],
    "meetings:add_meeting_note": NotAPage("POST only: the notes form on meetings:detail"),
    "meetings:add_note": NotAPage("POST only: the notes form on meetings:log"),
    "meetings:edit_note": [THEO, Visit("theo", errors=True)],
    "meetings:calendar": [THEO],
    "meetings:create_feed": NotAPage("POST only: its button is on meetings:calendar"),
    "meetings:revoke_feed": NotAPage("POST only: its button is on meetings:calendar"),
    "meetings:feed": NotAPage("an .ics feed"),
    # --- progress ---
    "progress:plan": [MIA, THEO],
    "progress:start_plan": NotAPage("POST only: its button is on progress:plan"),
    "progress:complete_plan": NotAPage("POST only: its button is on progress:plan"),
    "progress:add_goals": NotAPage("POST only: its button is on progress:plan"),
    "progress:plan_item": NotAPage("POST only: each item's form on progress:plan"),
    "progress:commitment": NotAPage("POST only: each commitment's form on progress:plan"),
    "progress:midpoint": [MIA, THEO],
    "progress:closing": [MIA, THEO],
    "progress:confirm_closing": NotAPage("POST only: its form is on progress:closing"),
    "progress:withdraw_closing": NotAPage("POST only: its button is on progress:closing"),
    "progress:thank_you": [THEO],
    "progress:record": NotAPage("a ZIP download"),
    # --- matching ---
    # An empty source is valid there (it removes the questions): its error state, a YAML
    # problem by line, is covered by mentorpact/matching/tests and the matching journey.
    "matching:questions": [CORA],
    "matching:profiles": [CORA],
    "matching:remind": NotAPage("POST only: its button is on matching:profiles"),
    "matching:run": NotAPage("POST only: its button is on matching:profiles"),
    "matching:profile": [MIA, THEO],
    "matching:shortlist": [THEO],
    "matching:mentees": [MIA],
    "matching:review": [CORA],
    "matching:publish": NotAPage("POST only: its button is on matching:review"),
    # --- asking the program for help ---
    "support:ask": [THEO, Visit("theo", errors=True)],
    "support:request": [THEO, CORA],
    "support:close": NotAPage("POST only: its form is on support:request"),
    "support:queue": [CORA],
    # --- the exceptions to confidentiality ---
    "confidentiality:page": [MIA, THEO],
    "confidentiality:propose": NotAPage("POST only: its form is on confidentiality:page"),
    "confidentiality:agree": NotAPage("POST only: its button is on confidentiality:page"),
    "confidentiality:revoke": NotAPage("POST only: its button is on confidentiality:page"),
    "confidentiality:log_use": NotAPage("POST only: its form is on confidentiality:page"),
    "confidentiality:danger": [MIA, Visit("mia", errors=True)],
    "confidentiality:danger_record": [MIA, CORA],
    "confidentiality:mentee_told": NotAPage("POST only: its form is on the danger record"),
    "confidentiality:contact": [CORA],
    # --- the program's events ---
    "events:program": [CORA, Visit("cora", errors=True)],
    "events:mine": [MIA],
    "events:event": [MIA, CORA],
    "events:ics": NotAPage("an .ics file"),
    "events:attendance": NotAPage("POST only: the checklist on events:event"),
    "events:attendees_csv": NotAPage("a CSV download"),
    # --- the program's evaluations ---
    "evaluations:program": [CORA, Visit("cora", errors=True)],
    "evaluations:mine": [MIA],
    "evaluations:summary": [CORA, Visit("cora", query="?role=mentee")],
    "evaluations:edit": [CORA, Visit("cora", errors=True)],
    "evaluations:close": NotAPage("POST only: the button on evaluations:summary"),
    "evaluations:answer": [THEO, Visit("theo", errors=True)],
    # --- the program dashboard ---
    "dashboard:page": [CORA, Visit("cora", query="?paired_from=2027-02-01&paired_to=2027-01-01")],
    "dashboard:pairs": [CORA],
    "dashboard:export": NotAPage("a CSV or XLSX download"),
    "dashboard:report": [CORA],
    "dashboard:report_pdf": NotAPage("a PDF download"),
    "dashboard:zip_request": NotAPage("POST only: the dashboard's Build the ZIP button"),
    "dashboard:zip_status": [CORA],
    "dashboard:zip_download": NotAPage("a ZIP download"),
}


def page_patterns() -> list[str]:
    return sorted(
        p.name or p.label for p in url_patterns() if not p.is_admin and not p.is_api_operation
    )


def test_every_url_pattern_has_an_axe_visit():
    missing = [name for name in page_patterns() if name not in AXE_VISITS]
    assert missing == [], (
        "These URL patterns have no entry in AXE_VISITS (tests/browser/test_accessibility.py; "
        "its docstring says how to add one): " + ", ".join(missing)
    )


def test_every_axe_entry_names_a_url_pattern_that_exists():
    assert sorted(set(AXE_VISITS) - set(page_patterns())) == []


def test_the_vendored_axe_is_the_one_we_checked():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    assert (AXE.parent / "LICENSE").exists()
    assert AXE.read_text()[:20].startswith("/*! axe v4.14.")


RUN_AXE = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => impacts.includes(v.impact))
    .map(v => v.impact + " " + v.id + ": " + v.help + " at " +
              v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""

NARROW_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.scrollWidth;
  if (width > 320) problems.push("scrolls sideways: " + width + "px wide at 320px");
  for (const cell of document.querySelectorAll("main td, main th")) {
    if (cell.closest("[hidden], details:not([open])")) continue;
    if (cell.getClientRects().length === 0) {
      problems.push("hides a cell: " + cell.outerHTML.slice(0, 60));
    }
  }
  return problems;
}"""

EMPTY_AND_SUBMIT = """(selector) => {
  const forms = [...document.querySelectorAll(selector || "main form[method=post]")]
    .filter(f => f.querySelector("input:not([type=hidden]), textarea, select"));
  const form = forms[0];
  if (!form) return false;
  const typed = ["text", "email", "password", "number", "date", "time", "url", "search"]
    .map(type => `input[type=${type}]`).concat(["input:not([type])", "textarea"]).join(", ");
  for (const el of form.querySelectorAll(typed)) {
    if (!el.disabled && !el.readOnly) el.value = "";
  }
  const button = form.querySelector("button[type=submit], button:not([type]), input[type=submit]");
  if (button) button.click(); else form.requestSubmit();
  return true;
}"""


def signed_in_context(browser: Browser, live_server, user: User | None) -> BrowserContext:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE))
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


def settled_evaluate(page: Page, script: str, arg=None):
    """page.evaluate once the page has settled: a POST's answer can arrive before the browser
    commits the document it navigates to, and an evaluate in that moment loses its context.
    Then wait for the new document and ask again."""
    for attempt in range(5):
        try:
            return page.evaluate(script, arg)
        except PlaywrightError as error:
            if "Execution context was destroyed" not in error.message or attempt == 4:
                raise
            page.wait_for_load_state()
            page.wait_for_timeout(100)
    return None


def check_page(page: Page, where: str, problems: list[str]) -> None:
    for violation in settled_evaluate(page, RUN_AXE, list(FAILING_IMPACTS)):
        problems.append(f"{where}: {violation}")
    page.set_viewport_size({"width": 320, "height": 700})
    for problem in settled_evaluate(page, NARROW_PROBLEMS):
        problems.append(f"{where} at 320px: {problem}")
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.browser  # the meta-tests above need no browser: they run with -m "not browser" too
def test_every_page_and_error_state_has_no_serious_axe_violation(
    browser: Browser, live_server, personas
):
    admin = User.objects.create_superuser("ada@example.org", "a-long-password-1", full_name="Ada")
    people = {
        "anonymous": None,
        "admin": admin,
        "cora": personas.cora,
        "mia": personas.mia,
        "theo": personas.theo,
        "olive": personas.olive,
    }
    contexts: dict[str, BrowserContext] = {}
    pages: dict[str, Page] = {}
    problems: list[str] = []
    visited = 0
    try:
        for name, visits in AXE_VISITS.items():
            if isinstance(visits, NotAPage):
                continue
            for visit in visits:
                if visit.persona not in pages:
                    contexts[visit.persona] = signed_in_context(
                        browser, live_server, people[visit.persona]
                    )
                    pages[visit.persona] = contexts[visit.persona].new_page()
                    pages[visit.persona].set_default_timeout(10_000)
                page = pages[visit.persona]
                kwargs = (visit.kwargs or MATRIX[name].kwargs)(personas)
                url = live_server.url + reverse(name, kwargs=kwargs) + visit.query
                where = f"{name} as {visit.persona}"
                response = page.goto(url)
                visited += 1
                if response is None or response.status >= 400:
                    problems.append(f"{where}: {response and response.status} for {url}")
                    continue
                if visit.errors:
                    where += " (error state)"
                    selector = visit.errors if isinstance(visit.errors, str) else None
                    try:
                        with page.expect_response(
                            lambda r: r.request.method == "POST", timeout=5_000
                        ):
                            if not page.evaluate(EMPTY_AND_SUBMIT, selector):
                                problems.append(f"{where}: no form to submit")
                                continue
                    except PlaywrightError as error:
                        problems.append(f"{where}: the submit sent nothing ({error.message})")
                        continue
                    page.wait_for_load_state()
                    page.wait_for_timeout(100)  # an htmx swap settles, focus moves
                    state = settled_evaluate(
                        page,
                        """() => { const s = document.querySelector("[data-error-summary]");
                        return s ? (s === document.activeElement ? "focused" : "not focused")
                                 : "none"; }""",
                    )
                    if state != "focused":
                        problems.append(f"{where}: error summary {state}")
                check_page(page, where, problems)
    finally:
        for context in contexts.values():
            context.close()
    assert visited >= 60
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
