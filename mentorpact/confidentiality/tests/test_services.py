"""The exceptions to confidentiality as records: agreed by both partners, used by the mentor,
revoked by either; a disclosure in serious danger alerts the safeguarding contact at once."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.http import Http404

from mentorpact.agreement_templates.tests import set_template
from mentorpact.confidentiality import selectors, services
from mentorpact.confidentiality.services import ConfidentialityError
from mentorpact.confidentiality.tests.base import PilotTestCase, agreed
from mentorpact.meetings.tests.base import install_builtin
from mentorpact.outbox.models import Email
from mentorpact.test import events_of, kinds

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@time_machine.travel(NOW, tick=False)
class AgreedDisclosureTest(PilotTestCase):
    def test_the_pilot_form_declares_both_exceptions(self):
        self.assertEqual(
            selectors.exceptions_of(self.partnership), ("agreed_disclosure", "serious_danger")
        )

    def test_one_proposes_the_other_agrees_and_the_mentor_logs_a_use(self):
        disclosure = agreed(self)
        self.assertEqual(disclosure.state, "agreed")
        self.assertEqual(disclosure.agreed_by, self.mia)

        use = services.log_use(
            disclosure=disclosure,
            user=self.mia,
            used_on=date(2026, 11, 20),
            to_whom="Dr Rivera",
            note="We spoke about the timetable.",
        )

        use.refresh_from_db()
        self.assertEqual(use.note, "We spoke about the timetable.")
        self.assertEqual(
            kinds(events_of(disclosure, "confidentiality")),
            ["agreed_disclosure_proposed", "agreed_disclosure_agreed", "agreed_disclosure_used"],
        )
        for event in events_of(disclosure):
            self.assertNotIn("Rivera", str(event.details))

    def test_the_proposer_cannot_agree_to_their_own_proposal(self):
        disclosure = services.propose_agreed_disclosure(
            partnership=self.partnership, user=self.theo, person="A", boundaries="B", issue="C"
        )
        with self.assertRaises(ConfidentialityError):
            services.agree_disclosure(disclosure=disclosure, user=self.theo)

    def test_a_revoked_disclosure_cannot_be_used(self):
        disclosure = agreed(self)
        services.revoke_disclosure(disclosure=disclosure, user=self.theo)

        with self.assertRaises(ConfidentialityError) as caught:
            services.log_use(
                disclosure=disclosure,
                user=self.mia,
                used_on=date(2026, 11, 20),
                to_whom="X",
                note="",
            )

        self.assertIn("not in force", caught.exception.message)
        self.assertEqual(disclosure.state, "revoked")

    def test_only_the_mentor_logs_a_use(self):
        disclosure = agreed(self)
        with self.assertRaises(ConfidentialityError):
            services.log_use(
                disclosure=disclosure,
                user=self.theo,
                used_on=date(2026, 11, 20),
                to_whom="X",
                note="",
            )

    def test_a_use_in_the_future_is_refused_beside_its_field(self):
        with self.assertRaises(ConfidentialityError) as caught:
            services.log_use(
                disclosure=agreed(self),
                user=self.mia,
                used_on=date(2026, 12, 1),
                to_whom="X",
                note="",
            )
        self.assertEqual(caught.exception.field, "used_on")

    def test_empty_texts_are_refused_beside_their_fields(self):
        with self.assertRaises(ConfidentialityError) as caught:
            services.propose_agreed_disclosure(
                partnership=self.partnership, user=self.theo, person=" ", boundaries="B", issue="C"
            )
        self.assertEqual(caught.exception.field, "person")

    def test_a_form_without_the_exception_refuses_it(self):
        set_template(self.program, install_builtin("aspe-partnership"))

        with self.assertRaises(ConfidentialityError):
            agreed(self)


@time_machine.travel(NOW, tick=False)
class DangerDisclosureTest(PilotTestCase):
    def record(self, **overrides):
        return services.record_danger_disclosure(
            partnership=self.partnership,
            user=overrides.pop("user", self.mia),
            disclosed_to="The police",
            reason="Theo said he would hurt someone.",
            **overrides,
        )

    def test_it_alerts_the_designated_contact_at_once_without_the_text(self):
        record = self.record()

        self.assertEqual(record.contact, self.cora)
        (email,) = Email.objects.filter(kind="confidentiality-danger")
        self.assertEqual(email.to, "cora@example.org")
        self.assertEqual(email.due_at, NOW)
        self.assertIn(str(record.public_id), email.body)
        for text in (email.subject, email.body, email.html):
            self.assertNotIn("hurt someone", text)
            self.assertNotIn("police", text)
        (event,) = events_of(record, "confidentiality")
        self.assertEqual(event.kind, "danger_disclosed")
        self.assertEqual(event.details, {"contact_alerted": True, "mentee_told": False})

    def test_the_mentee_cannot_record_one(self):
        with self.assertRaises(ConfidentialityError):
            self.record(user=self.theo)

    def test_only_the_mentor_and_the_contact_may_read_it(self):
        record = self.record()

        self.assertEqual(selectors.get_danger_for_reader(self.mia, record.public_id)[1], "mentor")
        self.assertEqual(selectors.get_danger_for_reader(self.cora, record.public_id)[1], "contact")
        for person in (self.theo, self.olive):
            with self.assertRaises(Http404):
                selectors.get_danger_for_reader(person, record.public_id)

    def test_whether_and_when_the_mentee_is_told_is_recorded(self):
        record = self.record()

        services.record_mentee_told(record=record, user=self.mia, told_at=NOW - timedelta(hours=1))

        record.refresh_from_db()
        self.assertEqual(record.mentee_told_at, NOW - timedelta(hours=1))
        self.assertEqual(record.mentee_told_recorded_at, NOW)
        self.assertEqual(
            kinds(events_of(record, "confidentiality")), ["danger_disclosed", "mentee_told"]
        )

    def test_without_a_designated_contact_the_program_address_is_alerted(self):
        self.program.safeguarding_contact.delete()

        record = self.record()

        self.assertIsNone(record.contact)
        (email,) = Email.objects.filter(kind="confidentiality-danger")
        self.assertEqual(email.to, "office@example.org")

    def test_the_contact_must_be_a_coordinator(self):
        with self.assertRaises(ConfidentialityError) as caught:
            services.set_safeguarding_contact(program=self.program, actor=self.cora, user=self.mia)
        self.assertEqual(caught.exception.field, "contact")
