"""What the agreement says about meetings: modes, who organises, the contingency plan, the
feedback questions and who answers them."""

from datetime import timedelta

from mentorpact.agreement_templates.schema import builtin_templates, load_template
from mentorpact.agreement_templates.services import import_template
from mentorpact.agreement_templates.tests import set_template
from mentorpact.meetings.selectors import DEFAULT_MODES, meeting_terms
from mentorpact.meetings.tests.base import PILOT_AGREEMENT, MeetingsTestCase, sign_agreement

PILOT_QUESTIONS = load_template(builtin_templates()["university-pilot"]).rules.feedback_questions


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

    def test_the_organiser_is_the_mentee_until_the_agreement_says(self):
        organiser = meeting_terms(self.partnership).organiser()

        self.assertEqual((organiser.role, organiser.source), ("mentee", "open"))
        self.assertEqual(
            organiser.describe(self.partnership),
            "Theo Mentee (the mentee) arranges meetings until your agreement says who does.",
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

        self.assertEqual(len(PILOT_QUESTIONS), 4)
        self.assertEqual(terms.feedback_questions(), PILOT_QUESTIONS)
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

    def test_a_form_without_questions_asks_no_feedback(self):
        # Before, every program without its own questions got the pilot's four.
        terms = meeting_terms(self.partnership)

        self.assertEqual(terms.feedback_questions(), ())
        self.assertEqual(terms.feedback_from(), ())

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
        self.assertEqual(terms.feedback_questions(), ())
        self.assertEqual(terms.next_meeting_gap(), timedelta(days=14))
        self.assertIsNone(terms.contingency())


class NamedFieldsTest(MeetingsTestCase):
    """Who arranges meetings and the contingency plan come from the fields the rules name,
    whatever their keys; a field keyed `organiser` that no rule names is only a field."""

    def use(self, source: str) -> None:
        source = source.replace("slug: university-pilot", "slug: pilot-renamed")
        set_template(self.program, import_template(source=source, filename="t.yaml").template)

    def test_the_rules_name_the_fields_whatever_their_keys(self):
        source = builtin_templates()["university-pilot"]
        source = source.replace("organiser_field: organiser", "organiser_field: who_arranges")
        source = source.replace("- key: organiser\n", "- key: who_arranges\n")
        self.use(source)
        parts = {role: dict(values) for role, values in PILOT_AGREEMENT.items()}
        for values in parts.values():
            if "organiser" in values:
                values["who_arranges"] = "mentor"
                del values["organiser"]
        sign_agreement(self.partnership, parts)

        organiser = meeting_terms(self.partnership).organiser()

        self.assertEqual((organiser.role, organiser.source), ("mentor", "agreed"))

    def test_without_the_rules_the_same_fields_say_nothing(self):
        source = builtin_templates()["university-pilot"]
        source = source.replace("  organiser_field: organiser\n", "")
        source = source.replace("  contingency_field: cancellation\n", "")
        self.use(source)
        self.sign_pilot_agreement()

        terms = meeting_terms(self.partnership)

        self.assertEqual(terms.organiser().source, "default")
        self.assertIsNone(terms.contingency())
