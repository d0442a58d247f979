"""A free-text answer to the intake questions is its writer's: a canary planted in one never
appears on a matching page, fragment, run record or email the coordinator can reach (unless
the question says `shown_to_coordinator: true`, which this test's question does not)."""

from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from mentorpact.matching import services
from mentorpact.matching.models import MatchRun
from mentorpact.matching.tests import answer, save_questions
from mentorpact.pairing.tests import IMMEDIATE_TASKS, enrol
from mentorpact.programs.models import Enrolment
from mentorpact.test import BaseTestCase
from mentorpact.tests import test_access_matrix as matrix

CANARY = "CANARY-m4tch"


@override_settings(TASKS=IMMEDIATE_TASKS)
class CoordinatorNeverSeesAFreeTextAnswerTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        save_questions(self.program, self.cora)
        self.max = enrol(self.program, "max@example.org", "Max Mentor", Enrolment.Role.MENTOR)
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", Enrolment.Role.MENTEE)
        answer(
            self.program,
            self.max,
            "mentor",
            mode=["online"],
            area="Biology",
            department="Engineering",
        )
        answer(
            self.program,
            self.nina,
            "mentee",
            mode=["online"],
            area="Biology",
            department="Life sciences",
            hopes=f"Hopes {CANARY}",
        )
        self.run = services.run_match(program=self.program, actor=self.cora)

    def test_no_matching_page_cora_can_reach_shows_it(self):
        self.client.force_login(self.cora)
        reached, leaks = [], []
        paths = [
            (name, probe) for name, probe in matrix.MATRIX.items() if name.startswith("matching:")
        ]
        for name, probe in paths:
            kwargs = probe.kwargs(self)
            if "run_id" in kwargs:
                kwargs = {"run_id": self.run.public_id}
            path = reverse(name, kwargs=kwargs)
            for method in ("get", "post") if probe.method == "post" else ("get",):
                for target in ("", "content"):
                    headers = {"HX-Request": "true", "HX-Target": target} if target else {}
                    with transaction.atomic():
                        response = getattr(self.client, method)(path, {}, headers=headers)
                        transaction.set_rollback(True)
                    if response.status_code == 200:
                        reached.append(name)
                    if CANARY.encode() in response.content:
                        leaks.append(f"{method} {path}")
        self.assertEqual(leaks, [])
        for page in ("matching:profiles", "matching:review", "matching:questions"):
            self.assertIn(page, reached)
        self.assertNotIn(CANARY, str(list(MatchRun.objects.values("inputs", "result"))))
        for message in mail.outbox:
            self.assertNotIn(CANARY, message.body)

    def test_the_writer_sees_it_so_the_canary_is_really_there(self):
        self.client.force_login(self.nina)
        response = self.client.get(reverse("matching:profile", args=[self.program.public_id]))
        self.assertContains(response, CANARY)
        # and the mentor's list of mentees does not show it either
        self.client.force_login(self.max)
        response = self.client.get(reverse("matching:mentees", args=[self.program.public_id]))
        self.assertContains(response, "Nina Newcomer")
        self.assertNotContains(response, CANARY)
