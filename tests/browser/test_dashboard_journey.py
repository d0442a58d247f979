"""The program dashboard, in a real browser: Cora opens the dashboard of a program with pairs
in every stage, sees each chart, follows the "Drafting" bar to the pairs behind it,
downloads the partnerships CSV and XLSX, asks for the ZIP of signed agreements, watches it
being built (htmx polling, the worker run here), follows the emailed link and downloads it.
The files are opened (csv, openpyxl, zipfile) and checked against the database.

Screenshots go to test-artifacts/screenshots/dashboard/, at 1280 and 360 px wide.
"""

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from mentorpact.agreements.models import AgreementVersion
from mentorpact.dashboard import selectors
from mentorpact.dashboard.models import AgreementsZip
from mentorpact.dashboard.tests.base import VIEWED, build_cohort
from mentorpact.outbox.models import Email
from mentorpact.partnerships.models import Partnership
from tests.browser.conftest import SCREENSHOTS, assert_no_horizontal_scroll, sign_in, watch_console

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
SHOTS = SCREENSHOTS / "dashboard"


def both_widths(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.screenshot(path=SHOTS / f"{name}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def download(page: Page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


def test_cora_reads_the_dashboard_follows_a_bar_and_downloads_every_file(
    page: Page, live_server, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AGREEMENT_SIGNING_KEY = settings.AGREEMENT_SIGNING_CERT = ""
    program = personas.program
    cohort = build_cohort(program, personas.cora)
    errors: list[str] = []
    watch_console(page, errors)
    with time_machine.travel(VIEWED):
        page.set_viewport_size(DESKTOP)
        sign_in(page, live_server, "cora@example.org")
        page.goto(live_server.url + reverse("programs:overview", args=[program.public_id]))
        page.get_by_role("link", name="Dashboard").first.click()

        # Each chart: its figure, its SVG with title and description, its table.
        assert cohort.event is not None  # so every figure has bars
        for key, title in selectors.FIGURE_TITLES.items():
            figure = page.locator(f"#figure-{key}")
            expect(figure.get_by_role("heading", name=title)).to_be_visible()
            expect(figure.locator("svg title")).to_have_text(title)
            expect(figure.locator("svg desc")).not_to_be_empty()
            expect(figure.get_by_role("table")).to_be_visible()
        stage = page.locator("#figure-stage")
        pairs = Partnership.objects.filter(program=program).exclude(status="unpaired")
        expect(stage.locator("svg desc")).to_contain_text(f"Paired: {pairs.count()};")
        both_widths(page, "dashboard")

        # The "Drafting" bar, followed: the drafting pairs, and only they.
        stage.locator("svg").get_by_role("link", name=re.compile(r"^Drafting: \d+ pairs")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Partnerships by stage: Drafting")
        drafting = pairs.filter(status="drafting").select_related("mentor")
        rows = page.locator("tbody tr")
        expect(rows).to_have_count(drafting.count())
        for p in drafting:
            expect(page.get_by_role("link", name=p.mentor.full_name)).to_be_visible()
        both_widths(page, "pairs-behind-a-bar")
        page.go_back()

        # The partnerships list as CSV and XLSX.
        exports = page.get_by_role("list").filter(has_text="Partnerships: CSV")
        data = download(page, exports.get_by_role("link", name="CSV").first)
        assert data.startswith(b"\xef\xbb\xbf")
        table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        assert {r["partnership"] for r in table} == {str(p.public_id) for p in pairs}
        statuses = {str(p.public_id): p.get_status_display() for p in pairs}
        assert all(r["status"] == statuses[r["partnership"]] for r in table)
        data = download(page, exports.get_by_role("link", name="XLSX").first)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        values = list(sheet.iter_rows(values_only=True))
        assert len(values) == 1 + pairs.count()
        assert {row[0] for row in values[1:]} == {str(p.public_id) for p in pairs}

        # The ZIP of signed agreements: asked for, built by the worker while the page polls.
        page.get_by_role("button", name="Build the ZIP of signed agreements").click()
        status = page.locator("#zip-status")
        expect(status).to_contain_text("Waiting to start")
        expect(status).to_have_attribute("hx-trigger", "every 1s")  # htmx asks again
        status_url = page.url
        # The worker, run here: the page leaves meanwhile, since the test database (SQLite in
        # memory) cannot be written by the worker while the live server reads it.
        page.goto("about:blank")
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        page.goto(status_url)
        expect(page.get_by_role("link", name="Download the ZIP")).to_be_visible()
        both_widths(page, "zip-ready")

    built = AgreementsZip.objects.get(program=program)
    email = Email.objects.get(kind="dashboard-zip-ready", to="cora@example.org")
    link = re.search(r"https?://\S+", email.body)
    assert link is not None
    path = reverse("dashboard:zip_status", args=[program.public_id, built.public_id])
    assert link.group(0).endswith(path)
    page.goto(live_server.url + path)
    data = download(page, page.get_by_role("link", name="Download the ZIP"))
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    signed = AgreementVersion.objects.filter(
        agreement__partnership__program=program, status__in=AgreementVersion.SIGNED_STATUSES
    )
    assert len(manifest) == signed.count() == 20
    for row in manifest:
        version = signed.get(
            agreement__partnership__public_id=row["partnership"], number=int(row["version"])
        )
        pdf = archive.read(row["file"])
        assert hashlib.sha256(pdf).hexdigest() == row["sha256"] == version.sealed_pdf_sha256
    assert errors == []
