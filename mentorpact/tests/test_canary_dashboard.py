"""The dashboard never shows what partners wrote: a canary planted in the agreement's content
(a form whose signed agreements stay with the pair), the action plan made from it, meeting
agendas, topics, places, reasons, notes and feedback appears in no chart, list, export (CSV,
and the XML inside each XLSX), term report (the page and the PDF's text) or signed-agreements
ZIP (every file in it, each PDF's text) that Cora can reach: 0 hits.

The walk: every dashboard URL with the access matrix's arguments, each figure's every bar,
every export in both formats, with and without a filter, plus the ZIP built by the worker.
"""

import io
import zipfile

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentorpact.agreement_templates.tests import set_template
from mentorpact.agreements.models import AgreementVersion
from mentorpact.agreements.tests.base import IMMEDIATE_TASKS, pdf_pages_text, shared_media_root
from mentorpact.dashboard import exports, selectors
from mentorpact.dashboard.models import AgreementsZip
from mentorpact.meetings.tests import test_canary as meetings_canary
from mentorpact.meetings.tests.base import install_builtin
from mentorpact.progress import services as progress_services
from mentorpact.progress.tests.base import CONTENT, sign_agreement
from mentorpact.test import BaseTestCase
from mentorpact.tests import test_access_matrix as matrix

CANARY = meetings_canary.CANARY


def readable(name: str, data: bytes) -> str:
    """Everything a person could read in a file: a PDF's text, every member of a ZIP (an
    XLSX is one: its sheets' XML), or the bytes as text."""
    if data.startswith(b"%PDF"):
        return "\n".join(pdf_pages_text(data))
    if data.startswith(b"PK"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(readable(member, archive.read(member)) for member in archive.namelist())
    return data.decode("utf-8", errors="replace")


@override_settings(
    TASKS=IMMEDIATE_TASKS,
    MEDIA_ROOT=shared_media_root(),
    AGREEMENT_SIGNING_KEY="",
    AGREEMENT_SIGNING_CERT="",
)
class DashboardShowsNothingPartnersWroteTest(BaseTestCase):
    # The meetings canary's planting: agendas, topics, places, reasons, notes, feedback.
    plant = meetings_canary.CoordinatorNeverSeesWhatPartnersWriteTest.plant

    def setUp(self):
        super().setUp()
        # As the meetings canary: the university pilot's form (signed agreements stay with
        # the pair), feedback from both partners.
        set_template(self.program, install_builtin("university-pilot"))
        self.program.rules = {"feedback_from": ["mentee", "mentor"]}
        self.program.save()
        with self.captureOnCommitCallbacks(execute=True):
            self.plant()
        content = CONTENT["university-pilot"]
        mentee = dict(content["mentee"])
        mentee["mentee_goals"] = [
            {"goal": f"Goal {CANARY}", "measure": f"Measure {CANARY}"},
            {"goal": "Build a network", "measure": "Three contacts"},
        ]
        sign_agreement(self.partnership, {**content, "mentee": mentee}, at=timezone.now())
        progress_services.start_action_plan(partnership=self.partnership, actor=self.theo)

    def requests(self):
        program = self.program.public_id
        for pattern in matrix.url_patterns():
            if not (pattern.name or "").startswith("dashboard:"):
                continue
            probe = matrix.MATRIX[pattern.name]
            if probe.method == "get":
                yield reverse(pattern.name, kwargs=probe.kwargs(self))
        pairs = reverse("dashboard:pairs", args=[program])
        for figure, bars in selectors.BARS.items():
            for bar in bars:
                yield f"{pairs}?figure={figure}&bar={bar.key}"
        yield f"{pairs}?figure=meetings&bar={timezone.now():%Y-%m}"
        for kind in exports.KINDS:
            for fmt in ("csv", "xlsx"):
                url = reverse("dashboard:export", args=[program, kind, fmt])
                yield url
                yield url + "?cohort=later"
        for name in ("page", "report", "report_pdf"):
            yield reverse(f"dashboard:{name}", args=[program]) + "?department=&cohort=later"

    def test_no_chart_list_export_report_or_zip_cora_can_reach_shows_the_canary(self):
        version = AgreementVersion.objects.get(agreement__partnership=self.partnership)
        self.assertIn(CANARY, str(version.content))  # the canary is really there
        self.client.force_login(self.cora)
        reached, leaks = [], []
        for path in self.requests():
            response = self.client.get(path)
            self.assertEqual(response.status_code, 200, path)
            reached.append(path)
            if CANARY in readable(path, response.content) or CANARY in str(response.headers):
                leaks.append(path)
        # The ZIP, built by the worker, and everything in it.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("dashboard:zip_request", args=[self.program.public_id]))
        built = AgreementsZip.objects.filter(program=self.program).latest("created_at")
        self.assertEqual(built.status, AgreementsZip.Status.DONE)
        download = reverse("dashboard:zip_download", args=[self.program.public_id, built.public_id])
        data = self.client.get(download).content
        archive = zipfile.ZipFile(io.BytesIO(data))
        # The pair's form keeps signed agreements with the pair: none is the program's.
        self.assertEqual(archive.namelist(), ["manifest.csv"])
        if CANARY in readable(download, data):
            leaks.append(download)

        self.assertEqual(leaks, [])
        self.assertGreater(len(reached), 30)
