from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from mentorpact.pairing import imports, services
from mentorpact.pairing.tests import IMMEDIATE_TASKS, enrol
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import BaseTestCase

MENTEE = Enrolment.Role.MENTEE
MENTOR = Enrolment.Role.MENTOR


def csv_file(text: str, name: str = "pairs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


class PairingCsvTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.max = enrol(self.program, "max@example.org", "Max Mentor", MENTOR, capacity=2)
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", MENTEE)
        self.noah = enrol(self.program, "noah@example.org", "Noah Newcomer", MENTEE)
        self.ola = enrol(self.program, "ola@example.org", "Ola Other", MENTEE)

    def check(self, text: str) -> imports.Preview:
        return imports.read_pairings(text.encode(), self.program)

    def problems(self, text: str) -> list[tuple]:
        return [(p.line, p.column, p.message) for p in self.check(text).sheet.problems]

    def test_a_clean_file_previews_each_row_and_pairs_nothing_yet(self):
        preview = self.check(
            "mentor_email,mentee_email\n"
            "max@example.org,nina@example.org\n"
            "MAX@example.org,noah@example.org\n"
            "mia@example.org,theo@example.org\n"
        )
        self.assertTrue(preview.ok)
        self.assertEqual(
            [outcome for _row, outcome in preview.rows],
            [imports.Outcome.PAIR, imports.Outcome.PAIR, imports.Outcome.UNCHANGED],
        )
        self.assertEqual(
            [(p.mentor, p.mentee) for p in preview.pairings],
            [(self.max, self.nina), (self.max, self.noah)],
        )
        self.assertFalse(Partnership.objects.filter(mentor=self.max).exists())

    def test_each_problem_names_its_line_and_column(self):
        enrol(self.program, "pia@example.org", "Pia Newcomer", MENTEE)
        self.assertEqual(
            self.problems(
                "Mentor email,Mentee email\n"
                "max@example.org,not-an-email\n"  # line 2
                "olive@example.org,pia@example.org\n"  # 3: Olive is no mentor here
                "max@example.org,theo@example.org\n"  # 4: Theo has Mia
                "max@example.org,nina@example.org\n"  # 5
                "max@example.org,nina@example.org\n"  # 6: Nina again
                "max@example.org,noah@example.org\n"  # 7
                "max@example.org,ola@example.org\n"  # 8: Max's third
                ",=cmd()\n"  # 9
            ),
            [
                (2, "mentee_email", "Not an email address."),
                (
                    3,
                    "mentor_email",
                    "No mentor with this address in Peer Mentoring: enrol them first.",
                ),
                (
                    4,
                    "mentee_email",
                    "Already paired with Mia Mentor: undo that pairing on the pairing page first.",
                ),
                (6, "mentee_email", "This mentee is also on line 5."),
                (8, "mentor_email", "Max Mentor would have 3 mentees; their capacity is 2."),
                (
                    9,
                    "mentee_email",
                    "Starts with “=”, which a spreadsheet would run as a formula. Remove that "
                    "character.",
                ),
                (9, "mentor_email", "Required."),
                (9, "mentee_email", "Not an email address."),
            ],
        )

    def test_a_file_with_the_wrong_columns_is_refused_whole(self):
        preview = self.check("email,name\nmax@example.org,Max\n")
        self.assertIn("Unknown column email, name", preview.sheet.refusal)

    def test_importing_pairs_all_and_importing_again_changes_nothing(self):
        text = (
            "mentor_email,mentee_email\n"
            "max@example.org,nina@example.org\n"
            "max@example.org,noah@example.org\n"
        )
        made = services.import_pairings(
            program=self.program, pairings=self.check(text).pairings, actor=self.cora
        )
        self.assertEqual(len(made), 2)
        again = self.check(text)
        self.assertTrue(again.ok)
        self.assertEqual(again.pairings, [])
        self.assertEqual(again.unchanged, 2)

    def test_an_import_refused_on_one_line_pairs_nobody(self):
        preview = self.check(
            "mentor_email,mentee_email\nmax@example.org,nina@example.org\nmax@example.org,noah@example.org\n"
        )
        # Meanwhile another coordinator paired Noah by hand.
        Enrolment.objects.create(program=self.program, user=self.olive, role=MENTOR)
        services.pair(program=self.program, mentor=self.olive, mentee=self.noah, actor=self.cora)
        with self.assertRaises(services.PairingError) as refused:
            services.import_pairings(
                program=self.program, pairings=preview.pairings, actor=self.cora
            )
        self.assertEqual(
            refused.exception.messages,
            ["Line 3: Noah Newcomer is already paired with Olive Outsider."],
        )
        self.assertFalse(Partnership.objects.filter(mentee=self.nina).exists())


@override_settings(TASKS=IMMEDIATE_TASKS)
class PairingCsvViewTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("pairing:csv", args=[self.program.public_id])
        self.import_url = reverse("pairing:import_csv", args=[self.program.public_id])
        self.max = enrol(self.program, "max@example.org", "Max Mentor", MENTOR, capacity=2)
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", MENTEE)
        self.sign_in(self.cora)

    def upload(self, text: str):
        return self.client.post(self.url, {"file": csv_file(text)})

    def test_preview_then_import_pairs_and_emails(self):
        text = (
            "mentor_email,mentee_email\n"
            "max@example.org,nina@example.org\n"
            "mia@example.org,theo@example.org\n"
        )
        response = self.upload(text)
        self.assertContains(response, "<strong>1</strong> new pairing")
        self.assertContains(response, "<strong>1</strong> already paired")
        self.assertFalse(Partnership.objects.filter(mentee=self.nina).exists())
        digest = response.context["digest"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.import_url, {"digest": digest})
        self.assertRedirects(response, reverse("pairing:page", args=[self.program.public_id]))
        self.assertEqual(Partnership.objects.get(mentee=self.nina).mentor, self.max)
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), [self.max.email, self.nina.email])
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(
            message, "Paired 1 couple; each person has been emailed. 1 row was already paired."
        )
        # The preview is used up: importing it again says so and changes nothing.
        response = self.client.post(self.import_url, {"digest": digest})
        self.assertRedirects(response, self.url)
        self.assertEqual(Partnership.objects.filter(mentee=self.nina).count(), 1)

    def test_a_file_with_problems_shows_them_and_offers_no_import(self):
        response = self.upload("mentor_email,mentee_email\nmax@example.org,nobody@example.org\n")
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "Line 2, mentee_email: No mentee with this address", status_code=400
        )
        self.assertNotContains(response, self.import_url, status_code=400)

    def test_a_refused_file_and_a_missing_file_are_not_500s(self):
        response = self.client.post(
            self.url, {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00bad")}
        )
        self.assertContains(response, "The file is not UTF-8 text", status_code=400)
        response = self.client.post(self.url, {})
        self.assertContains(response, "Choose a CSV file to upload.", status_code=400)

    def test_another_digest_imports_nothing(self):
        self.upload("mentor_email,mentee_email\nmax@example.org,nina@example.org\n")
        response = self.client.post(self.import_url, {"digest": "0" * 64})
        self.assertRedirects(response, self.url)
        self.assertFalse(Partnership.objects.filter(mentee=self.nina).exists())

    def test_the_program_changed_since_the_preview_shows_the_new_problems(self):
        response = self.upload("mentor_email,mentee_email\nmax@example.org,nina@example.org\n")
        Enrolment.objects.filter(user=self.nina).delete()
        response = self.client.post(self.import_url, {"digest": response.context["digest"]})
        self.assertContains(response, "no longer imports cleanly", status_code=400)
        self.assertContains(response, "No mentee with this address", status_code=400)

    def test_another_programs_coordinator_gets_404_and_a_mentor_403(self):
        other = Program.objects.create(name="Other Program")
        Enrolment.objects.create(program=other, user=self.olive, role=Enrolment.Role.COORDINATOR)
        self.sign_in(self.olive)
        self.assertEqual(self.upload("mentor_email,mentee_email\n").status_code, 404)
        self.sign_in(self.mia)
        self.assertEqual(self.upload("mentor_email,mentee_email\n").status_code, 403)
