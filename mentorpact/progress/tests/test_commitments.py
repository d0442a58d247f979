from mentorpact.audit.models import Event
from mentorpact.progress import services
from mentorpact.progress.models import Commitment
from mentorpact.progress.tests.base import ProgressTestCase
from mentorpact.test import kinds


class SetCommitmentDoneTest(ProgressTestCase):
    slug = "whprms-partnership"

    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.start_plan()
        self.commitment = Commitment.objects.get(position=0)

    def mark(self, user, done: bool, based_on: int):
        return services.set_commitment_done(
            commitment=Commitment.objects.select_related("plan__agreement").get(
                pk=self.commitment.pk
            ),
            actor=user,
            done=done,
            based_on_version=based_on,
        )

    def test_a_partner_marks_a_commitment_done_and_back(self):
        self.mark(self.theo, True, 1)
        self.commitment.refresh_from_db()
        self.assertEqual((self.commitment.is_done, self.commitment.done_by), (True, self.theo))
        self.mark(self.mia, False, 2)
        self.commitment.refresh_from_db()
        self.assertFalse(self.commitment.is_done)
        self.assertEqual(
            kinds(Event.objects.filter(action__startswith="progress.commitment")),
            ["commitment_done", "commitment_reopened"],
        )

    def test_a_stale_toggle_is_refused(self):
        self.mark(self.theo, True, 1)
        with self.assertRaisesMessage(services.StaleEdit, "this commitment (now done)"):
            self.mark(self.mia, True, 1)
