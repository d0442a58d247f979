"""An anonymous evaluation's answers stay with their authors: a canary planted in Theo's and
Mia's free-text answers never appears on any page or fragment Cora (the program's coordinator)
can reach, in any email, or in the audit trail; Theo's never on any page Mia (his partner)
can reach. Cora reads the response rate and the counts, over at least five, only.

The walk: every URL pattern of the project with the access matrix's arguments, by GET (plain
and as htmx fragments) and with the matrix's POST, as Cora and as Mia.
"""

from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.evaluations import selectors, services
from mentorpact.evaluations.tests import ANSWERS, a_round
from mentorpact.evaluations.tests.access import evaluation
from mentorpact.outbox.models import Email
from mentorpact.test import BaseTestCase
from mentorpact.tests import test_access_matrix as matrix
from mentorpact.tests.canary import CanaryWalk

THEO_SAYS = "CANARY-evaluation-theo-7c21"
MIA_SAYS = "CANARY-evaluation-mia-9d04"


class EvaluationAnswersStayWithTheirAuthorsTest(CanaryWalk, BaseTestCase):
    def setUp(self):
        super().setUp()
        others = self.add_mentees(5)  # enough pairs that the aggregates are shown
        with self.captureOnCommitCallbacks(execute=True):
            # The access matrix's probes use this evaluation and round (tests/access.py).
            self.evaluation = evaluation(self)
            for partnership in others:
                a_round(self.evaluation, partnership)
            for partnership in [self.partnership, *others]:
                for user, says in ((partnership.mentee, THEO_SAYS), (partnership.mentor, MIA_SAYS)):
                    services.answer(
                        asked=selectors.get_round_for_respondent(
                            user, self.evaluation.public_id, partnership.public_id, "midpoint"
                        ),
                        user=user,
                        answers=ANSWERS | {"comments": f"{says} {partnership.pk}"},
                        version=None,
                    )

    def extra_requests(self):
        summary = reverse("evaluations:summary", args=[self.evaluation.public_id])
        for role in ("mentor", "mentee", "other"):
            yield "evaluations:summary", "get", f"{summary}?role={role}", {}

    def test_cora_sees_rates_and_counts_never_an_answer(self):
        reached, leaks = self.walk(self.cora, (THEO_SAYS, MIA_SAYS))

        self.assertEqual(leaks, [])
        for page in ("evaluations:program", "evaluations:summary", "programs:overview"):
            self.assertIn(page, reached)
        page = self.client.get(reverse("evaluations:summary", args=[self.evaluation.public_id]))
        self.assertContains(page, "12 of 12 asked so far (100%)")
        self.assertContains(page, "12 wrote an answer")

    def test_mia_never_sees_what_theo_answered(self):
        reached, leaks = self.walk(self.mia, (THEO_SAYS,))

        self.assertEqual(leaks, [])
        self.assertIn("evaluations:answer", reached)
        # Her own answer is on her own page: the canary could be seen.
        page = self.client.get(
            reverse("evaluations:answer", kwargs=matrix.MATRIX["evaluations:answer"].kwargs(self))
        )
        self.assertContains(page, MIA_SAYS)

    def test_no_email_and_no_audit_event_carries_it(self):
        texts = [e.subject + e.body + e.html for e in Email.objects.all()]
        self.assertFalse([t for t in texts if THEO_SAYS in t or MIA_SAYS in t])
        details = [str(e.details) for e in Event.objects.filter(action__startswith="evaluation.")]
        self.assertEqual(len(details), 1 + 12)  # created, then each answer
        self.assertFalse([d for d in details if THEO_SAYS in d or MIA_SAYS in d])
