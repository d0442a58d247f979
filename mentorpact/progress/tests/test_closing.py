"""The closing review: outcomes per goal, each partner's learning conclusion, and the
decision (conclude, continue with a new agreement, or end early, no-fault)."""

from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from mentorpact.agreements.models import Agreement
from mentorpact.audit.models import Event
from mentorpact.progress import selectors, services
from mentorpact.progress.models import ClosingReview, PlanItem
from mentorpact.progress.tests.base import ProgressTestCase, sign_agreement

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
CANARY = "CANARY-learning-51c0"


@override_settings(TASKS=IMMEDIATE_TASKS)
class ClosingTestCase(ProgressTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.sign()
        self.items = list(self.start_plan().items.all())

    def outcomes(self, outcome: str = "met") -> dict:
        return {
            str(item.public_id): {
                "outcome": outcome,
                "evidence": f"Evidence for {item.source_label}",
            }
            for item in self.items
        }

    def propose(self, user=None, decision: str = "conclude", **overrides) -> ClosingReview:
        arguments = {
            "partnership": self.partnership,
            "actor": user or self.mia,
            "decision": decision,
            "outcomes": self.outcomes(),
            "learning": "Mentoring taught me patience.",
        }
        with self.captureOnCommitCallbacks(execute=True):
            return services.propose_closing(**{**arguments, **overrides})

    def confirm(self, review, user=None, **overrides) -> ClosingReview:
        arguments = {
            "review": ClosingReview.objects.select_related("partnership").get(pk=review.pk),
            "actor": user or self.theo,
            "based_on_version": review.version,
            "outcomes": self.outcomes("partly"),
            "learning": "I learned to ask for help.",
        }
        with self.captureOnCommitCallbacks(execute=True):
            return services.confirm_closing(**{**arguments, **overrides})


class ConcludeTest(ClosingTestCase):
    def test_one_proposes_and_the_partner_is_asked_to_confirm(self):
        review = self.propose()
        self.assertEqual((review.status, review.proposed_role), ("proposed", "mentor"))
        self.assertEqual(review.mentor_learning, "Mentoring taught me patience.")
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "active")
        [email] = mail.outbox
        self.assertEqual(email.to, ["theo@example.org"])
        self.assertIn("Mia Mentor proposes to close", email.subject)

    def test_the_partners_confirmation_concludes_the_partnership(self):
        review = self.confirm(self.propose())
        self.assertEqual((review.status, review.confirmed_by), ("confirmed", self.theo))
        self.assertEqual(review.mentee_learning, "I learned to ask for help.")
        self.assertEqual(review.outcomes[str(self.items[0].public_id)]["outcome"], "partly")
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "concluded")
        change = Event.objects.filter(
            action__startswith="partnership.", details__to_status="concluded"
        ).get()
        self.assertEqual(change.actor, self.theo)
        confirmed = Event.objects.get(action="progress.closing_confirmed")
        self.assertEqual(confirmed.details["outcomes"], {"met": 0, "partly": 4, "not_met": 0})

    def test_the_proposer_cannot_confirm_their_own_proposal(self):
        review = self.propose()
        with self.assertRaisesMessage(services.ProgressError, "Your partner confirms"):
            self.confirm(review, user=self.mia)

    def test_each_goal_needs_an_outcome_and_each_partner_a_conclusion(self):
        outcomes = self.outcomes()
        outcomes[str(self.items[1].public_id)]["outcome"] = "maybe"
        with self.assertRaises(ValidationError) as invalid:
            self.propose(outcomes=outcomes, learning=" ")
        self.assertIn(f"outcome_{self.items[1].public_id}", invalid.exception.message_dict)
        self.assertFalse(ClosingReview.objects.exists())
        review = self.propose()
        with self.assertRaises(ValidationError) as invalid:
            self.confirm(review, learning="")
        self.assertIn("learning", invalid.exception.message_dict)

    def test_a_withdrawn_proposal_cannot_be_confirmed(self):
        review = self.propose()
        services.withdraw_closing(review=review, actor=self.mia, based_on_version=1)
        with self.assertRaisesMessage(services.ProgressError, "withdrew this proposal"):
            self.confirm(review)
        self.assertEqual(ClosingReview.objects.get().status, "withdrawn")

    def test_only_one_proposal_is_open_at_a_time(self):
        self.propose()
        with self.assertRaisesMessage(services.ProgressError, "just proposed"):
            self.propose(user=self.theo)


class ContinueTest(ClosingTestCase):
    def test_continuing_drafts_a_new_agreement_prefilled_from_this_one(self):
        self.confirm(self.propose(decision="continue"))
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "active")
        new = Agreement.objects.get(number=2)
        self.assertEqual(new.status, "drafting")
        content = new.versions.get().content
        self.assertEqual(content["goal"], "Become a confident peer reviewer.")
        self.assertNotIn("confidentiality", content)  # both accept it anew

    def test_what_is_due_next_is_signing_the_new_agreement(self):
        self.confirm(self.propose(decision="continue"))
        progress = selectors.partnership_progress(
            self.partnership, role="mentee", viewer=self.theo, with_meetings=False
        )
        due = progress.due()
        self.assertEqual([item.title for item in due], ["Sign the continued agreement"])

    def test_the_reviewed_plan_is_kept_as_it_was(self):
        self.confirm(self.propose(decision="continue"))
        item = PlanItem.objects.select_related("plan__agreement").get(pk=self.items[0].pk)
        with self.assertRaisesMessage(services.ProgressError, "gets a plan of its own"):
            services.update_plan_item(
                item=item,
                actor=self.theo,
                changes=services.ItemChanges("done", "", "", "mentee", "", None, ""),
                based_on_version=1,
            )

    def test_the_new_agreement_once_signed_gets_a_plan_of_its_own(self):
        self.confirm(self.propose(decision="continue"))
        from mentorpact.progress.tests.base import CONTENT

        content = {role: dict(values) for role, values in CONTENT["aspe-partnership"].items()}
        content["mentee"]["goal"] = "Edit a special issue."
        sign_agreement(self.partnership, content)
        plan = self.start_plan()
        self.assertEqual(plan.agreement.number, 2)
        self.assertEqual(plan.items.first().goal, "Edit a special issue.")


class EndEarlyTest(ClosingTestCase):
    def test_either_partner_ends_it_at_once_no_fault(self):
        review = self.propose(user=self.theo, decision="end_early")
        self.assertEqual(review.status, "confirmed")
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, "ended_early")
        event = Event.objects.get(
            action__startswith="partnership.", details__to_status="ended_early"
        )
        self.assertEqual(event.details["no_fault"], True)
        [email] = mail.outbox
        self.assertEqual(email.to, ["mia@example.org"])
        self.assertIn("ended your mentoring partnership", email.subject)

    def test_asking_for_outside_intervention_tells_the_coordinator_nothing_confidential(self):
        outcomes = self.outcomes("not_met")
        for answer in outcomes.values():
            answer["evidence"] = CANARY
        self.propose(
            user=self.theo,
            decision="end_early",
            outcomes=outcomes,
            learning=f"Private: {CANARY}",
            outside_intervention=True,
        )
        to_cora = [m for m in mail.outbox if "cora@example.org" in m.to]
        self.assertEqual(len(to_cora), 1)
        body = to_cora[0].body + to_cora[0].alternatives[0][0] + to_cora[0].subject
        self.assertIn("asked the program for outside intervention", body)
        self.assertNotIn(CANARY, body)
        self.assertNotIn("Become a confident peer reviewer", body)
        self.assertTrue(Event.objects.filter(action="progress.intervention_requested").exists())

    def test_intervention_is_only_asked_for_when_ending_early(self):
        review = self.propose(decision="conclude", outside_intervention=True)
        self.assertFalse(review.outside_intervention)

    def test_before_signing_only_ending_early_is_possible(self):
        other = self.add_mentees(1)[0]
        with self.assertRaisesMessage(services.ProgressError, "can only end early"):
            services.propose_closing(
                partnership=other, actor=self.mia, decision="conclude", outcomes={}, learning="x"
            )
        with self.captureOnCommitCallbacks(execute=True):
            services.propose_closing(
                partnership=other, actor=self.mia, decision="end_early", outcomes={}, learning="x"
            )
        other.refresh_from_db()
        self.assertEqual(other.status, "ended_early")
