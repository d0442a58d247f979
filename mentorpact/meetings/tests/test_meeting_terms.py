"""What the agreement says about meetings: modes, who organises, the contingency plan, the
feedback questions and who answers them."""

from datetime import timedelta

from mentorpact.agreement_templates.tests import set_template
from mentorpact.meetings.selectors import DEFAULT_FEEDBACK_QUESTIONS, DEFAULT_MODES, meeting_terms
from mentorpact.meetings.tests.base import PILOT_AGREEMENT, MeetingsTestCase, sign_agreement


class PilotTermsTest(MeetingsTestCase):
    def test_before_signing_the_pilot_offers_its_three_ways_of_meeting(self):
        terms = meeting_terms(self.partnership)

        self.assertEqual(
            terms.mode_choices(),
            [("online", "Online"), ("face_to_face", "Face-to-face"), ("telephone", "Telephone")],
        )

    def test_after_signing_the_agreed_ways_come_first(self):
        self.sign_pilot_agreement()  # the pair agreed online and telephone

        terms = meeting_terms(self.partnership)

        self.assertEqual(
            [key for key, _ in terms.mode_choices()], ["online", "telephone", "face_to_face"]
        )
        self.assertEqual(terms.agreed_modes(), ["online", "telephone"])

    def test_the_organiser_is_traditionally_the_mentee_until_the_agreement_says(self):
        organiser = meeting_terms(self.partnership).organiser()

        self.assertEqual((organiser.role, organiser.source), ("mentee", "tradition"))
        self.assertEqual(
            organiser.describe(self.partnership),
            "Theo Mentee (the mentee) arranges meetings: it is traditionally the mentee’s "
            "responsibility.",
        )

    def test_the_agreed_organiser_is_named(self):
        parts = {role: dict(values) for role, values in PILOT_AGREEMENT.items()}
        parts["mentor"]["organiser"] = "mentor"
        sign_agreement(self.partnership, parts)

        organiser = meeting_terms(self.partnership).organiser()

        self.assertEqual(
            organiser.describe(self.partnership),
            "Mia Mentor (the mentor) arranges meetings, as your agreement says.",
        )

    def test_the_cancellation_answer_is_the_contingency_plan(self):
        self.assertIsNone(meeting_terms(self.partnership).contingency())
        self.sign_pilot_agreement()

        label, text = meeting_terms(self.partnership).contingency()

        self.assertTrue(label.startswith("What happens if either of you needs to cancel"))
        self.assertEqual(text, "We tell each other a day ahead and suggest two new times.")

    def test_the_pilots_four_questions_are_asked_of_the_mentee(self):
        terms = meeting_terms(self.partnership)

        self.assertEqual(terms.feedback_questions(), DEFAULT_FEEDBACK_QUESTIONS)
        self.assertEqual(terms.feedback_from(), ("mentee",))

    def test_a_program_can_ask_the_mentor_too(self):
        self.program.rules = {"feedback_from": ["mentee", "mentor"]}
        self.program.save()

        self.assertEqual(meeting_terms(self.partnership).feedback_from(), ("mentee", "mentor"))


class RemoteTermsTest(MeetingsTestCase):
    template_slug = "remote-planning"

    def test_a_form_that_does_not_ask_who_organises_expects_the_mentee(self):
        self.assertEqual(
            meeting_terms(self.partnership).organiser().describe(self.partnership),
            "Theo Mentee (the mentee) arranges meetings, unless you agree otherwise.",
        )

    def test_without_a_modes_field_the_default_modes_are_offered(self):
        self.assertEqual(meeting_terms(self.partnership).mode_choices(), list(DEFAULT_MODES))

    def test_the_contingency_plan_is_read_from_the_agreement_in_effect(self):
        sign_agreement(
            self.partnership,
            {
                "mentor": {
                    "purpose": "Grow as a remote team lead",
                    "timeframe": "Six months",
                    "end_date": "2027-05-31",
                    "meeting_plan": "Every other Tuesday",
                    "contingency_plan": "Whoever postpones proposes the next Thursday.",
                },
                "mentee": {
                    "short_term_goals": [{"goal": "Run a retro"}],
                    "long_term_goals": [{"goal": "Lead a team"}],
                },
            },
        )

        self.assertEqual(
            meeting_terms(self.partnership).contingency(),
            ("Contingency plan", "Whoever postpones proposes the next Thursday."),
        )


class WhprmsTermsTest(MeetingsTestCase):
    template_slug = "whprms-partnership"

    def test_the_counts_field_offers_its_options_and_other(self):
        keys = [key for key, _ in meeting_terms(self.partnership).mode_choices()]

        self.assertEqual(keys, ["face_to_face", "phone", "email", "other"])

    def test_a_monthly_program_suggests_the_next_meeting_four_weeks_on(self):
        self.program.rules = {"min_contact": {"times": 1, "per": "month"}}
        self.program.save()

        self.assertEqual(meeting_terms(self.partnership).next_meeting_gap(), timedelta(days=28))


class NoTemplateTermsTest(MeetingsTestCase):
    def test_a_program_without_a_template_gets_every_default(self):
        set_template(self.program, None)

        terms = meeting_terms(self.partnership)

        self.assertIsNone(terms.template)
        self.assertEqual(terms.mode_choices(), list(DEFAULT_MODES))
        self.assertEqual(terms.feedback_questions(), DEFAULT_FEEDBACK_QUESTIONS)
        self.assertEqual(terms.next_meeting_gap(), timedelta(days=14))
        self.assertIsNone(terms.contingency())
