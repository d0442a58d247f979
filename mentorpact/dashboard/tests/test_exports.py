"""The dashboard's files, opened as a coordinator's spreadsheet would open them: the CSV and
XLSX exports agree with the database, are formula-safe, UTF-8 with a BOM and ISO-dated; the
term report prints on one page; the signed-agreements ZIP holds exactly the program's
signed PDFs with a manifest whose SHA-256s are theirs, built by the worker and emailed."""

import base64
import csv
import datetime
import hashlib
import io
import zipfile

import openpyxl
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact import backups
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import IMMEDIATE_TASKS, pdf_pages_text, shared_media_root
from mentorpact.audit.models import Event
from mentorpact.dashboard.models import AgreementsZip
from mentorpact.dashboard.tests.base import CohortTestCase
from mentorpact.lib import stored_files
from mentorpact.meetings.models import Meeting
from mentorpact.outbox.models import Email
from mentorpact.partnerships.models import Partnership

FORMULA = '=HYPERLINK("http://evil.example","x")'


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[dict[str, object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


@override_settings(
    MEDIA_ROOT=shared_media_root(),
    AGREEMENT_SIGNING_KEY="",
    AGREEMENT_SIGNING_CERT="",
    TASKS=IMMEDIATE_TASKS,
)
class ExportsTest(CohortTestCase):
    def get(self, name: str, *args, **query):
        response = self.client.get(
            reverse(f"dashboard:{name}", args=[self.program.public_id, *args]), query
        )
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response

    def test_the_partnerships_csv_and_xlsx_hold_every_pair_as_the_database_has_it(self):
        first = self.cohort.groups["on_time"][0]
        first.mentor.full_name = FORMULA
        first.mentor.save(update_fields=["full_name"])

        rows = csv_rows(self.get("export", "partnerships", "csv").content)
        sheet = xlsx_rows(self.get("export", "partnerships", "xlsx").content)

        pairs = Partnership.objects.filter(program=self.program)
        self.assertEqual({r["partnership"] for r in rows}, {str(p.public_id) for p in pairs})
        self.assertEqual(len(sheet), pairs.count())
        by_id = {r["partnership"]: r for r in rows}
        for p in pairs:
            row = by_id[str(p.public_id)]
            self.assertEqual(row["status"], p.get_status_display())
            self.assertEqual(
                row["paired on"], p.created_at.astimezone(datetime.UTC).date().isoformat()
            )
            held = p.meetings.filter(status="held").count()
            self.assertEqual(int(row["meetings held"]), held)
        self.assertEqual(by_id[str(first.public_id)]["mentor"], "'" + FORMULA)
        drafting = by_id[str(self.cohort.groups["drafting"][0].public_id)]
        self.assertEqual(drafting["health"], "agreement overdue")
        # The XLSX: the same text, as a string cell, never a formula; dates as dates.
        cell = next(r for r in sheet if r["partnership"] == str(first.public_id))
        self.assertEqual(cell["mentor"], "'" + FORMULA)
        self.assertIsInstance(cell["paired on"], datetime.datetime)
        self.assertEqual(cell["paired on"].date(), first.created_at.date())

    def test_a_filtered_export_holds_only_the_filtered_pairs(self):
        rows = csv_rows(self.get("export", "partnerships", "csv", department="Physics").content)
        self.assertEqual(len(rows), 5)
        self.assertTrue(
            all("Physics" in (r["mentor department"], r["mentee department"]) for r in rows)
        )
        self.assertTrue(Event.objects.filter(action="dashboard.exported").exists())

    def test_the_roster_lists_everyone_enrolled(self):
        rows = csv_rows(self.get("export", "roster", "csv").content)
        self.assertEqual(len(rows), self.program.enrolments.count())
        self.assertEqual(
            {r["email"] for r in rows},
            set(self.program.enrolments.values_list("user__email", flat=True)),
        )

    def test_the_meetings_export_has_dates_modes_and_lengths_only(self):
        rows = csv_rows(self.get("export", "meetings", "csv").content)
        meetings = Meeting.objects.filter(partnership__program=self.program)
        self.assertEqual(len(rows), meetings.count())
        self.assertEqual(
            sorted(rows[0]),
            sorted(
                [
                    "meeting",
                    "partnership",
                    "mentor",
                    "mentee",
                    "starts at (UTC)",
                    "time zone",
                    "status",
                    "mode",
                    "planned minutes",
                    "held minutes",
                    "recorded after the fact",
                ]
            ),
        )
        one = meetings.first()
        assert one is not None
        row = next(r for r in rows if r["meeting"] == str(one.public_id))
        self.assertEqual(
            row["starts at (UTC)"],
            one.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    def test_attendance_and_figures_suppress_small_numbers(self):
        (event,) = csv_rows(self.get("export", "attendance", "csv").content)
        self.assertEqual((event["invited"], event["attended"]), ("50", "40"))
        physics = csv_rows(self.get("export", "attendance", "csv", department="Physics").content)
        self.assertEqual(physics[0]["invited"], "10")
        self.assertEqual(physics[0]["attended"], "8")
        figures = xlsx_rows(self.get("export", "figures", "xlsx", department="Physics").content)
        drafting = next(r for r in figures if r["bar"] == "Drafting")
        self.assertEqual(drafting["count"], "fewer than 5")
        paired = next(r for r in figures if r["bar"] == "Paired")
        self.assertEqual(paired["count"], 5)

    def test_the_term_report_is_one_page_of_numbers_and_charts(self):
        page = self.get("report")
        self.assertContains(page, "term report")
        pdf = self.get("report_pdf")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        pages = pdf_pages_text(pdf.content)
        self.assertEqual(len(pages), 1)
        self.assertIn("Peer Mentoring: term report", pages[0])
        self.assertIn("Partnerships by stage", pages[0])
        self.assertIn("Networking evening", pages[0])

    def test_the_zip_holds_every_signed_agreement_with_its_manifest(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("dashboard:zip_request", args=[self.program.public_id])
            )
        found = AgreementsZip.objects.get()
        self.assertRedirects(
            response,
            reverse("dashboard:zip_status", args=[self.program.public_id, found.public_id]),
        )
        self.assertEqual(found.status, AgreementsZip.Status.DONE)
        self.assertEqual((found.done, found.total), (20, 20))
        (email,) = Email.objects.filter(kind="dashboard-zip-ready")
        self.assertEqual(email.to, "cora@example.org")
        self.assertIn(str(found.public_id), email.body)
        self.assertEqual(len([m for m in mail.outbox if m.to == ["cora@example.org"]]), 1)

        status = self.get("zip_status", found.public_id)
        self.assertContains(status, "Download the ZIP")
        data = self.get("zip_download", found.public_id).content
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = csv_rows(archive.read("manifest.csv"))
        versions = AgreementVersion.objects.filter(
            agreement__partnership__program=self.program,
            status__in=AgreementVersion.SIGNED_STATUSES,
        )
        self.assertEqual(len(manifest), versions.count())
        self.assertEqual(len(archive.namelist()), versions.count() + 1)
        for version in versions.select_related("agreement__partnership"):
            version.refresh_from_db()
            row = next(
                r
                for r in manifest
                if r["partnership"] == str(version.agreement.partnership.public_id)
            )
            pdf = archive.read(row["file"])
            self.assertTrue(pdf.startswith(b"%PDF"))
            self.assertEqual(row["sha256"], hashlib.sha256(pdf).hexdigest())
            self.assertEqual(row["sha256"], version.sealed_pdf_sha256)
            self.assertEqual(row["version"], str(version.number))
        self.assertTrue(Event.objects.filter(action="dashboard.zip_downloaded").exists())

    def test_the_zip_is_backed_up_and_re_encrypted_with_the_other_stored_files(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("dashboard:zip_request", args=[self.program.public_id]))
        found = AgreementsZip.objects.get()
        self.assertIn(found.file_name, backups.stored_file_names())
        before = self.get("zip_download", found.public_id).content
        new_key = base64.urlsafe_b64encode(b"k" * 32).decode()
        # What rotate_notes_key does to each of backups.stored_file_names() (the whole command
        # would rewrite the class's sealed PDFs too, which other tests read under the old key).
        with override_settings(NOTES_ENCRYPTION_KEYS=[new_key, *settings.NOTES_ENCRYPTION_KEYS]):
            self.assertTrue(stored_files.rewrite(found.file_name))
        with override_settings(NOTES_ENCRYPTION_KEYS=[new_key]):  # the old key gone
            self.assertEqual(self.get("zip_download", found.public_id).content, before)

    def test_a_second_request_while_one_is_built_gets_the_same_zip(self):
        url = reverse("dashboard:zip_request", args=[self.program.public_id])
        # Tasks not run: the first stays queued.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            self.client.post(url)
            self.client.post(url)
        self.assertEqual(AgreementsZip.objects.count(), 1)
        found = AgreementsZip.objects.get()
        status = self.get("zip_status", found.public_id)
        self.assertContains(status, 'hx-trigger="every 1s"')
        fragment = self.client.get(
            reverse("dashboard:zip_status", args=[self.program.public_id, found.public_id]),
            headers={"HX-Request": "true", "HX-Target": "zip-status"},
        )
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, "Waiting to start")
        download = reverse("dashboard:zip_download", args=[self.program.public_id, found.public_id])
        self.assertEqual(self.client.get(download).status_code, 404)
