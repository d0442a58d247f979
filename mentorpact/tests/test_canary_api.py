"""No confidential text reaches any REST API response: with a canary planted in every text
the partners write (test_canary_at_rest's planting: agreement answers, meetings' places,
agendas, topics, reasons, notes and feedback, plans and reviews, the thank-you note, a
request for help and its replies, the confidentiality exceptions, an absence reason, an
intake answer), every operation of the API's access matrix is called with every persona's
token, and no response body or header carries a canary.

The one response that may: the signed agreement's sealed PDF is the signed record itself,
returned to the program when its template says so (this one's does). Its text (pdftotext)
may hold the agreement's own answers and nothing else.
"""

import subprocess
import tempfile
from pathlib import Path

from django.test import TestCase

from mentorpact.agreements.models import AgreementVersion
from mentorpact.api.tests.access import PERSONAS, issue_tokens
from mentorpact.evaluations.models import Evaluation
from mentorpact.events.tests.access import networking
from mentorpact.progress.tests.base import ProgressMixin
from mentorpact.tests import test_api_access_matrix as api_matrix
from mentorpact.tests import test_canary_at_rest as at_rest

AGREEMENT_ANSWERS = (
    "agreement-goal",
    "objective-",
    "schedule",
    "opportunity",
    "venue",
    "ground-rules",
    "feedback-method",
)


def pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agreement.pdf"
        path.write_bytes(data)
        return subprocess.run(  # noqa: S603, S607 (poppler-utils, as make test installs)
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


class ApiCanaryTest(ProgressMixin, TestCase):
    # Imported as modules, so pytest does not collect their test classes here again.
    slug = at_rest.CanaryAtRestTest.slug
    canary = at_rest.CanaryAtRestTest.canary
    plant = at_rest.CanaryAtRestTest.plant
    call = api_matrix.ApiCase.call

    def setUp(self):
        super().setUp()
        self.planted: list[str] = []
        self.plant()
        self.signed = (
            AgreementVersion.objects.filter(
                agreement__partnership=self.partnership,
                status__in=AgreementVersion.SIGNED_STATUSES,
            )
            .order_by("number")
            .first()
        )
        networking(self)
        # The API's evaluation is the one whose answer carries a canary (access.evaluation).
        self.evaluations_evaluation = Evaluation.objects.get(program=self.program)
        self.evaluations_round = self.evaluations_evaluation.rounds.get()
        self.tokens = issue_tokens(self)

    def test_no_api_response_carries_what_the_partners_wrote(self):
        leaks, reached = [], set()
        for key, op in api_matrix.OPERATIONS.items():
            for persona in PERSONAS:
                response = self.call(persona, key, op.body, rollback=key.startswith("POST"))
                if response.status_code < 300:
                    reached.add((key, persona))
                body = response.content
                text = body.decode(errors="replace") + str(response.headers)
                if response.get("Content-Type") == "application/pdf":
                    text = pdf_text(body) + str(response.headers)
                    allowed = [c for c in self.planted if any(a in c for a in AGREEMENT_ANSWERS)]
                else:
                    allowed = []
                shown = [c for c in self.planted if c in text and c not in allowed]
                if shown:
                    leaks.append(f"{key} as {persona}: {shown}")

        self.assertEqual(leaks, [])
        # The walk reached the data: Cora's program and partnership, Mia's meetings, the PDF.
        self.assertIn(("GET /partnerships/{partnership_id}", "cora"), reached)
        self.assertIn(("GET /partnerships/{partnership_id}/meetings", "mia"), reached)
        pdf = "GET /partnerships/{partnership_id}/agreements/{agreement}/versions/{number}/pdf"
        self.assertIn((pdf, "cora"), reached)
        self.assertIn(("GET /evaluations/{evaluation_id}/summary", "cora"), reached)
