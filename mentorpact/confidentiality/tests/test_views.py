"""The Confidentiality page, the serious-danger form and record, the Safeguarding page, and
the record ZIP's confidentiality files."""

import io
import zipfile

from django.urls import reverse

from mentorpact.confidentiality import services
from mentorpact.confidentiality.models import (
    AgreedDisclosure,
    DangerDisclosure,
    SafeguardingContact,
)
from mentorpact.confidentiality.tests.base import PilotTestCase, agreed
from mentorpact.meetings.tests.base import PILOT_AGREEMENT, sign_agreement
from mentorpact.outbox.models import Email
from mentorpact.test import BaseTestCase


class PageTest(PilotTestCase):
    def url(self, name="confidentiality:page", *args):
        return reverse(name, args=[self.partnership.public_id, *args])

    def test_the_partnership_page_links_to_it_for_the_partners(self):
        self.sign_in(self.theo)
        detail = self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))
        self.assertContains(detail, self.url())

    def test_once_signed_the_agreement_page_offers_an_agreed_disclosure_to_the_partners(self):
        agreement_url = reverse("agreements:agreement", args=[self.partnership.public_id])
        self.sign_in(self.theo)
        self.assertNotContains(self.client.get(agreement_url), 'id="agreed-disclosure"')
        sign_agreement(self.partnership, PILOT_AGREEMENT)
        page = self.client.get(agreement_url)
        self.assertContains(page, 'id="agreed-disclosure"')
        self.assertContains(page, self.url())
        # The program's coordinators are not offered it (they are not party to it).
        self.sign_in(self.cora)
        self.assertNotContains(self.client.get(agreement_url), 'id="agreed-disclosure"')

    def test_theo_proposes_and_mia_agrees_and_logs_a_use(self):
        self.sign_in(self.theo)
        response = self.client.post(
            self.url("confidentiality:propose"),
            {"person": "Dr Rivera", "boundaries": "Workload", "issue": "Teaching"},
        )
        self.assertRedirects(response, self.url())
        disclosure = AgreedDisclosure.objects.get()

        self.sign_in(self.mia)
        self.client.post(self.url("confidentiality:agree", disclosure.public_id))
        response = self.client.post(
            self.url("confidentiality:log_use", disclosure.public_id),
            {"used_on": "2026-11-20", "to_whom": "Dr Rivera", "note": "Timetable talk"},
        )

        self.assertRedirects(response, self.url())
        disclosure.refresh_from_db()
        self.assertEqual(disclosure.state, "agreed")
        self.assertEqual(disclosure.uses.get().note, "Timetable talk")
        self.assertContains(self.client.get(self.url()), "Timetable talk")

    def test_errors_stay_beside_their_fields_with_the_input_kept(self):
        self.sign_in(self.theo)

        response = self.client.post(
            self.url("confidentiality:propose"), {"person": "Dr Rivera", "issue": "Teaching"}
        )

        self.assertContains(response, "Fill this in.", status_code=400)
        self.assertContains(response, 'value="Dr Rivera"', status_code=400)

    def test_a_bad_date_on_a_use_is_shown_beside_it(self):
        disclosure = agreed(self)
        self.sign_in(self.mia)

        response = self.client.post(
            self.url("confidentiality:log_use", disclosure.public_id),
            {"used_on": "99999-01-01", "to_whom": "X"},
        )

        self.assertContains(response, "Give a date like", status_code=400)

    def test_mia_records_a_serious_danger_disclosure_and_the_contact_is_emailed(self):
        self.sign_in(self.mia)

        response = self.client.post(
            self.url("confidentiality:danger"),
            {"disclosed_to": "The police", "reason": "Threat of harm"},
            follow=True,
        )

        record = DangerDisclosure.objects.get()
        self.assertRedirects(
            response, reverse("confidentiality:danger_record", args=[record.public_id])
        )
        self.assertEqual(Email.objects.get(kind="confidentiality-danger").to, "cora@example.org")
        self.assertContains(
            response, "Recorded: Cora Coordinator, the safeguarding contact, is alerted."
        )
        response = self.client.post(
            reverse("confidentiality:mentee_told", args=[record.public_id]),
            {"told_on": "2026-01-05"},
        )
        record.refresh_from_db()
        self.assertEqual(record.mentee_told_at.date().isoformat(), "2026-01-05")

    def test_with_no_contact_designated_the_mentor_is_told_who_was_alerted(self):
        SafeguardingContact.objects.filter(program=self.program).delete()
        self.program.contact_email = "office@example.org"
        self.program.save()
        self.sign_in(self.mia)

        response = self.client.post(
            self.url("confidentiality:danger"),
            {"disclosed_to": "The police", "reason": "Threat of harm"},
            follow=True,
        )

        self.assertEqual(Email.objects.get(kind="confidentiality-danger").to, "office@example.org")
        self.assertContains(response, "no safeguarding contact designated")
        self.assertContains(response, "office@example.org is alerted")
        self.assertNotContains(response, "the safeguarding contact, is alerted")

    def test_theo_is_refused_the_serious_danger_form(self):
        self.sign_in(self.theo)

        self.assertEqual(self.client.get(self.url("confidentiality:danger")).status_code, 403)

    def test_the_record_zip_has_the_pairs_files_and_the_mentors_own(self):
        agreed(self, person="Dr Rivera")
        services.record_danger_disclosure(
            partnership=self.partnership, user=self.mia, disclosed_to="Police", reason="Harm"
        )

        def names(user):
            self.sign_in(user)
            response = self.client.get(
                reverse("progress:record", args=[self.partnership.public_id])
            )
            data = b"".join(response.streaming_content) if response.streaming else response.content
            archive = zipfile.ZipFile(io.BytesIO(data))
            return archive, set(archive.namelist())

        archive, mias = names(self.mia)
        self.assertIn("confidentiality/serious-danger-disclosures.csv", mias)
        self.assertIn(b"Harm", archive.read("confidentiality/serious-danger-disclosures.csv"))
        archive, theos = names(self.theo)
        self.assertIn("confidentiality/agreed-disclosures.csv", theos)
        self.assertIn(b"Dr Rivera", archive.read("confidentiality/agreed-disclosures.csv"))
        self.assertNotIn("confidentiality/serious-danger-disclosures.csv", theos)


class SafeguardingPageTest(BaseTestCase):
    def test_cora_chooses_the_contact(self):
        self.sign_in(self.cora)
        url = reverse("confidentiality:contact", args=[self.program.public_id])

        response = self.client.post(url, {"contact": str(self.cora.public_id)})

        self.assertRedirects(response, url)
        self.assertEqual(self.program.safeguarding_contact.user, self.cora)

    def test_someone_not_a_coordinator_is_refused_beside_the_field(self):
        self.sign_in(self.cora)
        url = reverse("confidentiality:contact", args=[self.program.public_id])

        response = self.client.post(url, {"contact": str(self.mia.public_id)})

        self.assertEqual(response.status_code, 400)

    def test_a_program_without_the_exceptions_has_no_confidentiality_page(self):
        self.sign_in(self.theo)
        url = reverse("confidentiality:page", args=[self.partnership.public_id])

        self.assertEqual(self.client.get(url).status_code, 404)
