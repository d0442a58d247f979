"""From the questions to published pairs: the services and pages a coordinator, a mentor and a
mentee use, in the order they use them."""

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from mentorpact.matching import services
from mentorpact.matching.models import MatchingAction, MatchRun, PairRule, Preference, Profile
from mentorpact.matching.tests import QUESTIONS, answer, save_questions
from mentorpact.outbox.models import Email
from mentorpact.pairing.tests import IMMEDIATE_TASKS, enrol
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment
from mentorpact.test import PASSWORD, BaseTestCase, events_of

MENTOR, MENTEE = Enrolment.Role.MENTOR, Enrolment.Role.MENTEE


@override_settings(TASKS=IMMEDIATE_TASKS)
class MatchingFlowTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.max = enrol(self.program, "max@example.org", "Max Mentor", MENTOR, capacity=2)
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", MENTEE)
        self.tara = enrol(self.program, "tara@example.org", "Tara Mentee", MENTEE)
        save_questions(self.program, self.cora)

    def sign_in(self, user) -> None:
        self.client.login(email=user.email, password=PASSWORD)

    def test_the_questions_page_saves_valid_yaml_and_shows_problems_by_line(self):
        self.sign_in(self.cora)
        url = reverse("matching:questions", args=[self.program.public_id])
        bad = QUESTIONS.replace("kind: modes", "kind: mood")
        response = self.client.post(url, {"source": bad})
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "questions.yaml:8: questions[0].kind: unknown kind", status_code=400
        )
        self.assertContains(response, "kind: mood", status_code=400)  # typed text kept
        response = self.client.post(url, {"source": QUESTIONS.replace("weight: 2", "weight: 4")})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(url), "weight 4")
        event = events_of(self.program.questionnaire).last()
        self.assertEqual(event.action, MatchingAction.QUESTIONS_SAVED)
        self.assertEqual(event.details["questions"], ["mode", "area", "department", "hopes"])

    def test_the_questions_page_refuses_partners_and_outsiders(self):
        url = reverse("matching:questions", args=[self.program.public_id])
        self.sign_in(self.mia)
        self.assertEqual(self.client.post(url, {"source": ""}).status_code, 403)
        self.sign_in(self.olive)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_mentee_fills_the_profile_and_the_roster_shows_it_complete(self):
        self.sign_in(self.nina)
        url = reverse("matching:profile", args=[self.program.public_id])
        page = self.client.get(url)
        self.assertContains(page, "What do you hope for?")
        self.assertContains(page, "Only you see this answer.")
        response = self.client.post(url, {"mode": ["online"], "area": "Biology"})
        self.assertEqual(response.status_code, 400)  # department missing
        self.assertContains(response, "This field is required.", status_code=400)
        response = self.client.post(
            url,
            {"mode": ["online"], "area": "Biology", "department": "Engineering", "hopes": "CANARY"},
        )
        self.assertRedirects(response, reverse("matching:shortlist", args=[self.program.public_id]))
        profile = Profile.objects.get(user=self.nina)
        self.assertIsNotNone(profile.completed_at)
        self.assertEqual(profile.answers["hopes"], "CANARY")
        self.sign_in(self.cora)
        roster = self.client.get(reverse("matching:profiles", args=[self.program.public_id]))
        self.assertContains(roster, "Complete")
        self.assertNotContains(roster, "CANARY")
        event = events_of(profile).get()
        self.assertEqual(event.details["answered"], ["area", "department", "hopes", "mode"])

    def test_reminders_go_through_the_outbox_to_everyone_waiting_with_no_profile(self):
        answer(
            self.program,
            self.max,
            MENTOR,
            mode=["online"],
            area="Biology",
            department="Life sciences",
        )
        self.sign_in(self.cora)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("matching:remind", args=[self.program.public_id]))
        self.assertEqual(response.status_code, 302)
        # Nina and Tara; not Max (answered), nor Theo (paired), nor Mia (no free place).
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["nina@example.org", "tara@example.org"]
        )
        self.assertEqual(Email.objects.filter(kind="matching-reminder").count(), 2)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("matching:remind", args=[self.program.public_id]))
        self.assertEqual(len(mail.outbox), 2)  # once a day

    def test_a_mentee_ranks_from_the_shortlist_and_a_mentor_declines(self):
        answer(
            self.program,
            self.max,
            MENTOR,
            mode=["online"],
            area="Biology",
            department="Life sciences",
        )
        answer(
            self.program,
            self.nina,
            MENTEE,
            mode=["online"],
            area="Biology",
            department="Engineering",
        )
        self.sign_in(self.nina)
        url = reverse("matching:shortlist", args=[self.program.public_id])
        page = self.client.get(url)
        self.assertContains(page, "Max Mentor")
        self.assertContains(page, "Research area")
        response = self.client.post(url, {"place_1": str(self.max.public_id)})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Preference.objects.get(mentee=self.nina).mentor, self.max)
        response = self.client.post(url, {"place_1": str(self.olive.public_id)})
        self.assertEqual(response.status_code, 400)

        self.sign_in(self.max)
        url = reverse("matching:mentees", args=[self.program.public_id])
        self.assertContains(self.client.get(url), "ranked you 1")
        self.client.post(url, {"mentee": str(self.nina.public_id), "declined": "1"})
        self.assertTrue(
            PairRule.objects.filter(mentor=self.max, mentee=self.nina, kind="declined").exists()
        )
        self.sign_in(self.nina)
        self.assertNotContains(
            self.client.get(reverse("matching:shortlist", args=[self.program.public_id])),
            "Max Mentor",
        )

    def test_the_coordinator_runs_pins_reruns_and_publishes(self):
        answer(
            self.program,
            self.max,
            MENTOR,
            mode=["online"],
            area="Biology",
            department="Life sciences",
        )
        answer(
            self.program,
            self.nina,
            MENTEE,
            mode=["online"],
            area="Chemistry",
            department="Engineering",
        )
        answer(
            self.program,
            self.tara,
            MENTEE,
            mode=["in_person"],
            area="Biology",
            department="Engineering",
        )
        self.sign_in(self.cora)
        response = self.client.post(reverse("matching:run", args=[self.program.public_id]))
        run = MatchRun.objects.get()
        self.assertRedirects(response, reverse("matching:review", args=[run.public_id]))
        page = self.client.get(reverse("matching:review", args=[run.public_id]))
        self.assertContains(page, "Max Mentor mentors Nina Newcomer")
        self.assertContains(page, "Max Mentor mentors Tara Mentee")
        self.assertContains(page, "different, as asked")
        self.assertEqual(run.parameters["solver"], "scipy.optimize.linear_sum_assignment")
        self.assertEqual(len(run.inputs["mentees"]), 2)

        # Forbid Max with Tara, re-run: Tara is unmatched, and told why.
        self.client.post(
            reverse("matching:review", args=[run.public_id]),
            {"mentor": self.max.public_id, "mentee": self.tara.public_id, "action": "forbidden"},
        )
        self.client.post(reverse("matching:run", args=[self.program.public_id]))
        second = MatchRun.objects.first()
        page = self.client.get(reverse("matching:review", args=[second.public_id]))
        self.assertContains(page, "forbidden by the coordinator (1 of 1 mentors)")
        # The first run can no longer be published.
        self.client.post(reverse("matching:publish", args=[run.public_id]))
        self.assertIsNone(MatchRun.objects.get(pk=run.pk).published_at)

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("matching:publish", args=[second.public_id]))
        self.assertEqual(response.status_code, 302)
        partnership = Partnership.objects.get(mentee=self.nina)
        self.assertEqual(partnership.mentor, self.max)
        self.assertIsNotNone(partnership.agreement_due_on)
        self.assertIn("nina@example.org", [m.to[0] for m in mail.outbox])
        second.refresh_from_db()
        self.assertIsNotNone(second.published_at)
        self.assertEqual(events_of(second).last().action, MatchingAction.PUBLISHED)
        with self.assertRaises(services.MatchingError):
            services.publish_run(run=second, actor=self.cora)

    def test_a_pinned_pair_is_kept_on_the_next_run(self):
        answer(
            self.program,
            self.max,
            MENTOR,
            mode=["online"],
            area="Biology",
            department="Life sciences",
        )
        answer(
            self.program,
            self.nina,
            MENTEE,
            mode=["online"],
            area="Biology",
            department="Engineering",
        )
        services.set_pair_rule(
            program=self.program, mentor=self.mia, mentee=self.nina, kind="pinned", actor=self.cora
        )
        # Mia's one place is taken by Theo: the pin cannot be placed, and the review says so.
        run = services.run_match(program=self.program, actor=self.cora)
        self.assertEqual(
            [(p["mentor"], p["mentee"]) for p in run.result["pairs"]],
            [(str(self.max.public_id), str(self.nina.public_id))],
        )
        self.assertEqual(run.result["ignored_pins"][0][2], "the person is no longer in the cohort")
        Enrolment.objects.filter(user=self.mia, role=MENTOR).update(capacity=2)
        answer(
            self.program,
            self.mia,
            MENTOR,
            mode=["phone"],
            area="Chemistry",
            department="Life sciences",
        )
        run = services.run_match(program=self.program, actor=self.cora)
        self.assertEqual(
            [(p["mentor"], p["mentee"], p["pinned"]) for p in run.result["pairs"]],
            [(str(self.mia.public_id), str(self.nina.public_id), True)],
        )
        self.sign_in(self.cora)
        page = self.client.get(reverse("matching:review", args=[run.public_id]))
        self.assertContains(page, ">Unpin<")
        self.assertNotContains(page, 'value="pinned" class="link">Pin<')
        services.set_pair_rule(
            program=self.program, mentor=self.mia, mentee=self.nina, kind=None, actor=self.cora
        )
        page = self.client.get(reverse("matching:review", args=[run.public_id]))
        self.assertNotContains(page, ">Unpin<")

    def test_accepting_an_invitation_as_a_mentee_leads_to_the_profile(self):
        self.sign_in(self.nina)
        home = self.client.get(reverse("partnerships:mine"))
        self.assertContains(home, "Your profile as a mentee in Peer Mentoring")

    def test_the_review_pins_a_pair_the_match_did_not_propose(self):
        answer(
            self.program,
            self.max,
            MENTOR,
            mode=["online"],
            area="Biology",
            department="Life sciences",
        )
        answer(
            self.program,
            self.nina,
            MENTEE,
            mode=["phone"],
            area="Chemistry",
            department="Engineering",
        )
        answer(
            self.program,
            self.tara,
            MENTEE,
            mode=["online"],
            area="Biology",
            department="Engineering",
        )
        Enrolment.objects.filter(user=self.max, role=MENTOR).update(capacity=1)
        run = services.run_match(program=self.program, actor=self.cora)
        self.assertEqual([p["mentee"] for p in run.result["pairs"]], [str(self.tara.public_id)])
        self.sign_in(self.cora)
        url = reverse("matching:review", args=[run.public_id])
        self.assertContains(self.client.get(url), "Pin or forbid another pair")
        self.client.post(
            url, {"mentor": self.max.public_id, "mentee": self.nina.public_id, "action": "pinned"}
        )
        self.client.post(reverse("matching:run", args=[self.program.public_id]))
        again = MatchRun.objects.first()
        self.assertEqual(
            [(p["mentee"], p["pinned"]) for p in again.result["pairs"]],
            [(str(self.nina.public_id), True)],
        )
        page = self.client.get(reverse("matching:review", args=[again.public_id]))
        self.assertContains(
            page, "Every mentor who fits (Max Mentor) is at capacity with other mentees."
        )
        # A bad form is refused with 400, never a 500.
        self.assertEqual(self.client.post(url, {"mentor": "x", "action": "pin"}).status_code, 400)

    def test_a_free_text_answer_shown_to_the_coordinator_is_on_the_profiles_page(self):
        shared = QUESTIONS.replace(
            "    asked_of: mentee\n    required: false\n",
            "    asked_of: mentee\n    required: false\n    shown_to_coordinator: true\n",
        )
        save_questions(self.program, self.cora, shared)
        answer(self.program, self.nina, MENTEE, area="Biology", hopes="A mentor in industry")
        self.sign_in(self.nina)
        profile = self.client.get(reverse("matching:profile", args=[self.program.public_id]))
        self.assertContains(profile, "The program&#x27;s coordinators see this answer.")
        self.sign_in(self.cora)
        page = self.client.get(reverse("matching:profiles", args=[self.program.public_id]))
        self.assertContains(page, "What do you hope for?: A mentor in industry")

    def test_a_match_that_paired_nobody_offers_nothing_to_publish(self):
        # Nobody has answered the questions yet: every mentee is unmatched.
        run = services.run_match(program=self.program, actor=self.cora)
        self.assertEqual(run.result["pairs"], [])

        self.sign_in(self.cora)
        page = self.client.get(reverse("matching:review", args=[run.public_id]))
        self.assertNotContains(page, "Publish these pairs")
        self.assertContains(page, "Has not completed their matching profile. No mentor is possible")
        with self.assertRaisesMessage(services.MatchingError, "paired nobody"):
            services.publish_run(run=run, actor=self.cora)
        run.refresh_from_db()
        self.assertIsNone(run.published_at)
