"""What is signed is visible in full at every width: a table answer of four columns keeps every
cell on screen at 360 px (a phone), 480 px and 1100 px, on the page of the signed version and
on the signing page, with no sideways scrolling and no cell cut off."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements import selectors, services
from mentorpact.progress.tests.base import install_template, sign_agreement
from tests.browser.conftest import assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

FOUR_COLUMNS = """\
format: 1
slug: four-columns
title: Learning plan
signers: [mentor, mentee]
rules: {distribution: pair}
sections:
  - key: plan
    heading: What we will do
    blocks:
      - key: activities
        kind: table
        label: Activities
        item_name: activity
        min_rows: 2
        columns:
          - {key: what, label: What, kind: textarea}
          - {key: where, label: Where}
          - {key: when, label: When, kind: date}
          - {key: paid_by, label: Who pays}
      - signatures: {}
"""
ROWS = [
    {
        "what": "Shadow a ward round on the neonatal unit, then debrief over coffee",
        "where": "Northfield General, level 4",
        "when": "2027-01-12",
        "paid_by": "The department's training budget",
    },
    {
        "what": "Present a case at the journal club",
        "where": "https://meet.example.org/journal-club-neonatal-2027",
        "when": "2027-02-09",
        "paid_by": "Nobody: it is free",
    },
]
CELLS = [text for row in ROWS for text in (row["what"], row["where"], row["paid_by"])] + [
    "12 January 2027",
    "9 February 2027",
]


def hidden_cells(page: Page, width: int) -> list[str]:
    """The table cells not shown in full: hidden, outside the viewport, or cut off."""
    return page.evaluate(
        """(width) => [...document.querySelectorAll('.ag-table td, .ag-table th')]
        .filter((cell) => {
          const box = cell.getBoundingClientRect();
          const style = getComputedStyle(cell);
          return style.display === 'none' || style.visibility !== 'visible'
            || box.width === 0 || box.left < 0 || box.right > width + 0.5
            || cell.scrollWidth > cell.clientWidth + 1;
        })
        .map((cell) => cell.textContent.trim() || cell.tagName)""",
        width,
    )


def test_every_cell_of_a_table_answer_is_visible_at_every_width(
    browser: Browser, live_server, personas, screenshot
):
    set_template(personas.program, install_template("four-columns", FOUR_COLUMNS))
    version = sign_agreement(personas.partnership, {"mentee": {"activities": ROWS}})
    code = personas.partnership.public_id
    signed = reverse("agreements:version", args=[code, version.agreement.number, version.number])
    for width in (360, 480, 1100):
        page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
        page.set_default_timeout(10_000)
        sign_in(page, live_server, "theo@example.org")
        page.goto(live_server.url + signed)
        assert_no_horizontal_scroll(page, width)
        assert hidden_cells(page, width) == []
        for text in CELLS:
            assert page.locator(".ag-table td", has_text=text).first.is_visible(), text
        screenshot(f"signed-{width}", of=page)
        page.context.close()


def test_the_signing_page_shows_every_cell_at_360px(
    browser: Browser, live_server, personas, screenshot
):
    set_template(personas.program, install_template("four-columns", FOUR_COLUMNS))
    agreement = services.start_agreement(partnership=personas.partnership, actor=personas.mia)
    draft = selectors.draft_version(agreement)
    services.save_draft(
        agreement=agreement,
        user=personas.theo,
        values={"activities": ROWS},
        based_on_revision=draft.revision,
    )
    page = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server, "theo@example.org")
    page.goto(live_server.url + reverse("agreements:sign", args=[personas.partnership.public_id]))
    assert_no_horizontal_scroll(page, 360)
    assert hidden_cells(page, 360) == []
    screenshot("sign-360", of=page)
