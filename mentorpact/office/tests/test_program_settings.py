from datetime import date

from django.urls import reverse

from mentorpact.agreement_templates.models import AgreementTemplate
from mentorpact.agreement_templates.tests import set_template
from mentorpact.office.tests.base import OfficeTestCase
from mentorpact.test import events_of

FORM = {
    "name": "Peer Mentoring 2027",
    "sponsor": "Research Office",
    "contact_email": "office@example.org",
    "contact_phone": "+44 20 7946 0000",
    "return_address": "office@example.org",
    "kickoff_date": "2027-01-15",
    "agreement_due_date": "2027-03-01",
    "agreement_days_after_pairing": "28",
    "retention_years": "7",
    "rules": "",
}


class ProgramSettingsTestCase(OfficeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("office:settings", args=[self.program.public_id])

    def use_builtin_template(self) -> None:
        set_template(self.program, AgreementTemplate.objects.get(slug="red-peer-mentoring"))

    def test_a_coordinator_sees_the_settings_and_a_link_to_the_template_chooser(self):
        self.sign_in(self.cora)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="Peer Mentoring"')
        self.assertContains(
            response, reverse("agreement_templates:program", args=[self.program.public_id])
        )
        self.assertContains(response, "cora@example.org")

    def test_it_saves_every_setting_and_records_which_changed(self):
        self.sign_in(self.cora)
        response = self.client.post(self.url, FORM)
        self.assertRedirects(response, self.url)
        self.program.refresh_from_db()
        self.assertEqual(self.program.name, "Peer Mentoring 2027")
        self.assertEqual(self.program.contact_phone, "+44 20 7946 0000")
        self.assertEqual(self.program.agreement_due_date, date(2027, 3, 1))
        self.assertEqual(self.events(), ["settings_changed"])
        event = events_of(self.program).get()
        self.assertEqual(
            sorted(event.details["fields"]),
            ["agreement_due_date", "contact_phone", "name"],
        )
        self.assertEqual(event.actor, self.cora)

    def test_the_days_a_late_pair_gets_to_sign_are_a_setting(self):
        self.sign_in(self.cora)
        self.client.post(self.url, FORM | {"agreement_days_after_pairing": "14"})
        self.program.refresh_from_db()
        self.assertEqual(self.program.agreement_days_after_pairing, 14)
        response = self.client.post(self.url, FORM | {"agreement_days_after_pairing": "-3"})
        self.assertContains(response, 'id="id_agreement_days_after_pairing_error"', status_code=400)

    def test_the_retention_period_is_a_setting_from_one_to_fifty_years(self):
        self.sign_in(self.cora)
        self.assertContains(self.client.get(self.url), "Years to keep finished partnerships")
        self.client.post(self.url, FORM | {"retention_years": "10"})
        self.program.refresh_from_db()
        self.assertEqual(self.program.retention_years, 10)
        for wrong in ("0", "51", "seven"):
            response = self.client.post(self.url, FORM | {"retention_years": wrong})
            self.assertContains(response, 'id="id_retention_years_error"', status_code=400)
            self.assertContains(response, f'value="{wrong}"', status_code=400)  # kept as typed

    def test_saving_without_a_change_records_nothing(self):
        self.sign_in(self.cora)
        self.client.post(self.url, FORM)
        self.client.post(self.url, FORM)
        self.assertEqual(self.events(), ["settings_changed"])

    def test_rule_overrides_are_checked_against_the_template_beside_the_field(self):
        self.use_builtin_template()
        self.sign_in(self.cora)
        response = self.client.post(self.url, FORM | {"rules": "distribution: public\n"})
        self.assertContains(response, 'id="id_rules_error"', status_code=400)
        self.assertContains(response, "a program cannot change this rule", status_code=400)
        self.assertContains(response, "distribution: public", status_code=400)  # typed kept
        self.program.refresh_from_db()
        self.assertEqual((self.program.rules, self.program.name), ({}, "Peer Mentoring"))

    def test_valid_overrides_are_stored_as_data(self):
        self.use_builtin_template()
        self.sign_in(self.cora)
        rules = "min_contact: {times: 2, per: month}\nagreement_due: {date: 2027-03-05}\n"
        self.assertEqual(self.client.post(self.url, FORM | {"rules": rules}).status_code, 302)
        self.program.refresh_from_db()
        self.assertEqual(
            self.program.rules,
            {"min_contact": {"times": 2, "per": "month"}, "agreement_due": {"date": "2027-03-05"}},
        )
        self.assertContains(self.client.get(self.url), "times: 2")

    def test_overrides_need_a_template_and_valid_yaml(self):
        self.sign_in(self.cora)
        response = self.client.post(self.url, FORM | {"rules": "min_contact: {times: 2}"})
        self.assertContains(
            response, "Choose the program&#x27;s agreement template", status_code=400
        )
        response = self.client.post(self.url, FORM | {"rules": "a: [unclosed"})
        self.assertContains(response, "not valid YAML", status_code=400)
        response = self.client.post(self.url, FORM | {"rules": "- a list"})
        self.assertContains(response, "rule: value", status_code=400)

    def test_bad_dates_and_emails_are_refused_beside_their_fields(self):
        self.sign_in(self.cora)
        response = self.client.post(
            self.url, FORM | {"kickoff_date": "15/15/2027", "contact_email": "nope"}
        )
        self.assertContains(response, 'id="id_kickoff_date_error"', status_code=400)
        self.assertContains(response, 'id="id_contact_email_error"', status_code=400)
        self.assertContains(response, 'value="15/15/2027"', status_code=400)

    def test_a_site_administrator_manages_coordinators_but_sees_no_settings_form(self):
        self.sign_in(self.ada)
        response = self.client.get(self.url)
        self.assertContains(response, "Add coordinator")
        self.assertNotContains(response, "Save settings")

    def test_others_are_refused(self):
        for person, status in (
            (self.carl, 404),
            (self.olive, 404),
            (self.mia, 403),
            (self.theo, 403),
        ):
            self.sign_in(person)
            self.assertEqual(self.client.get(self.url).status_code, status, person)
            self.assertEqual(self.client.post(self.url, FORM).status_code, status, person)
        self.program.refresh_from_db()
        self.assertEqual(self.program.name, "Peer Mentoring")
