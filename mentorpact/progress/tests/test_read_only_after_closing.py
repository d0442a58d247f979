"""After closing, the partnership is read-only: every service that could change its record
refuses, with a clear message, and nothing is written. One test per app we can reach."""

from datetime import timedelta

from django.utils import timezone

from mentorpact.agreements import services as agreement_services
from mentorpact.agreements.models import AgreementVersion
from mentorpact.meetings import services as meeting_services
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships.services import change_status
from mentorpact.progress import services
from mentorpact.progress.models import ClosingReview, MidpointReview, PlanItem
from mentorpact.progress.tests.base import ProgressTestCase


class ReadOnlyAfterClosingTest(ProgressTestCase):
    slug = "whprms-partnership"

    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.plan = self.start_plan()
        change_status(partnership=self.partnership, to_status="concluded", actor=self.mia)
        self.partnership.refresh_from_db()

    def test_progress_refuses_every_change(self):
        item = self.plan.items.select_related("plan__agreement").first()
        commitment = self.plan.commitments.select_related("plan__agreement").first()
        attempts = {
            "start the plan": lambda: services.start_action_plan(
                partnership=self.partnership, actor=self.theo
            ),
            "update a goal": lambda: services.update_plan_item(
                item=item,
                actor=self.theo,
                changes=services.ItemChanges("done", "x", "", "mentee", "", None, ""),
                based_on_version=1,
            ),
            "complete the plan": lambda: services.complete_action_plan(
                plan=self.plan, actor=self.theo
            ),
            "tick a commitment": lambda: services.set_commitment_done(
                commitment=commitment, actor=self.theo, done=True, based_on_version=1
            ),
            "review the midpoint": lambda: services.submit_midpoint_review(
                partnership=self.partnership,
                actor=self.theo,
                answers={},
                overall="",
                change_course=False,
            ),
            "propose a closing": lambda: services.propose_closing(
                partnership=self.partnership,
                actor=self.theo,
                decision="end_early",
                outcomes={},
                learning="x",
            ),
        }
        for what, attempt in attempts.items():
            with (
                self.subTest(what),
                self.assertRaisesMessage(services.ProgressError, "no longer changed"),
            ):
                attempt()
        self.assertEqual(PlanItem.objects.filter(version__gt=1).count(), 0)
        self.assertFalse(MidpointReview.objects.exists())
        self.assertFalse(ClosingReview.objects.exists())

    def test_meetings_refuses_a_new_meeting(self):
        with self.assertRaisesMessage(meeting_services.MeetingError, "no longer changed"):
            meeting_services.schedule_meeting(
                partnership=self.partnership,
                user=self.theo,
                starts_at=timezone.now() + timedelta(days=2),
                time_zone="UTC",
                duration_minutes=60,
                mode="face_to_face",
            )
        self.assertFalse(Meeting.objects.exists())

    def test_agreements_refuses_an_amendment(self):
        with self.assertRaises(agreement_services.AgreementError):
            agreement_services.propose_amendment(agreement=self.agreement(), user=self.mia)
        self.assertFalse(AgreementVersion.objects.filter(status="draft").exists())
