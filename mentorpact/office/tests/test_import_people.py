from unittest import mock

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mentorpact.accounts import services as account_services
from mentorpact.accounts.models import User
from mentorpact.office import services, tasks
from mentorpact.office.models import Invitation, PeopleUpload
from mentorpact.office.tests.base import OfficeTestCase
from mentorpact.programs.models import Enrolment

GOOD = (
    "email,name,role,department,time_zone,capacity\n"
    "nia@example.org,Nia North,mentor,Physics,Europe/London,2\n"
    "sam@example.org,Sam South,mentee,Chemistry,America/New_York,\n"
    "olive@example.org,Olive Outsider,mentee,,,\n"
    "theo@example.org,Theo Mentee,mentee,,,\n"
)


class ImportTestCase(OfficeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("office:import", args=[self.program.public_id])
        self.sign_in(self.cora)

    def upload(self, text: str | bytes, name="people.csv"):
        data = text.encode() if isinstance(text, str) else text
        return self.client.post(self.url, {"file": SimpleUploadedFile(name, data)})

    def confirm(self, response, *, follow: bool = True):
        """Press "Import": the worker's task runs at once (the immediate backend), and the
        coordinator lands on the import's status page."""
        upload = response.context["upload"]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("office:confirm_import", args=[self.program.public_id, upload.public_id])
            )
        return self.client.get(response.url) if follow and response.status_code == 302 else response

    def status_url(self, upload) -> str:
        return reverse("office:import_status", args=[self.program.public_id, upload.public_id])


class ImportPeopleTestCase(ImportTestCase):
    def test_the_preview_shows_what_will_happen_and_writes_nothing(self):
        response = self.upload(GOOD)
        self.assertContains(response, "4</strong> rows, no problems: 3 changes")
        self.assertContains(response, "Invitation")
        self.assertContains(response, "Existing account: enrolled and told")
        self.assertContains(response, "Already enrolled: no change")
        self.assertFalse(User.objects.filter(email="nia@example.org").exists())
        self.assertEqual(self.events(), [])

    def test_importing_enrols_everyone_in_one_go_and_emails_them(self):
        response = self.confirm(self.upload(GOOD), follow=False)
        upload = PeopleUpload.objects.get()
        self.assertRedirects(response, self.status_url(upload))
        response = self.client.get(response.url)
        self.assertContains(
            response,
            "Imported: 2 invited, 1 existing account enrolled, 0 updated, 1 unchanged.",
        )
        self.assertNotContains(response, "hx-trigger")  # done: no more polling
        nia = User.objects.get(email="nia@example.org")
        self.assertEqual(
            (nia.full_name, nia.department, nia.time_zone),
            ("Nia North", "Physics", "Europe/London"),
        )
        # The file's zone is kept at Nia's first sign-in, whatever her browser says.
        self.assertFalse(account_services.adopt_browser_time_zone(user=nia, time_zone="Asia/Tokyo"))
        nia.refresh_from_db()
        self.assertEqual(nia.time_zone, "Europe/London")
        self.assertEqual(Enrolment.objects.get(user=nia).capacity, 2)
        self.assertTrue(Enrolment.objects.filter(user=self.olive, role="mentee").exists())
        self.assertEqual(
            sorted(self.sent_to()), ["nia@example.org", "olive@example.org", "sam@example.org"]
        )
        self.assertEqual(self.events().count("people_imported"), 1)
        self.assertEqual(self.events().count("people_import_queued"), 1)
        # The file's rows now live in the program; the upload keeps only the counts.
        self.assertEqual(
            (upload.status, bytes(upload.content), upload.result["invited"]),
            (PeopleUpload.Status.DONE, b"", 2),
        )

    def test_importing_the_same_file_again_changes_nothing(self):
        self.confirm(self.upload(GOOD))
        before = (Enrolment.objects.count(), Invitation.objects.count(), len(mail.outbox))
        response = self.upload(GOOD)
        self.assertContains(response, "no problems: 0 changes")
        self.confirm(response)
        after = (Enrolment.objects.count(), Invitation.objects.count(), len(mail.outbox))
        self.assertEqual(before, after)

    def test_every_problem_is_shown_with_its_line_and_column(self):
        response = self.upload(
            "email,name,role,time_zone,capacity\n"
            "not-an-email,A,mentor,,\n"
            "b@example.org,B,boss,,\n"
            "c@example.org,C,mentee,Mars/Olympus,\n"
            "b@example.org,B again,mentee,,\n"
            "mia@example.org,Mia,mentee,,\n"
            "d@example.org,=1+1,mentor,,many\n"
        )
        self.assertEqual(response.status_code, 400)
        problems = [(p.line, p.column) for p in response.context["preview"].sheet.problems]
        self.assertEqual(
            problems,
            [
                (2, "email"),
                (3, "role"),
                (4, "time_zone"),
                (5, "email"),
                (6, "role"),
                (7, "name"),
                (7, "capacity"),
            ],
        )
        for text in (
            "Line 2, column email: “not-an-email” is not an email address.",
            "Unknown role “boss”",
            "Unknown time zone “Mars/Olympus”",
            "This address is also on line 3.",
            "Already enrolled in this program as mentor.",
            "a spreadsheet would run as a formula",
        ):
            self.assertContains(response, text, status_code=400)
        self.assertIsNone(response.context["upload"])  # no Import button
        self.assertFalse(User.objects.filter(email="c@example.org").exists())

    def test_whole_file_refusals_are_plain_never_a_500(self):
        cases = [
            (b"\xff\xfeemail", "not UTF-8"),
            ("email,name\n", "Missing column role"),
            ("", "file is empty"),
            ("email,name,role\n" + "a@x.org,A,mentee\n" * 5001, "more than 5,000 rows"),
            (b"email,name,role\n" + b"x" * (2 * 1024 * 1024), "larger than 2 MB"),
        ]
        for data, message in cases:
            with self.subTest(message):
                response = self.upload(data)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)

    def test_an_excel_file_with_a_byte_order_mark_is_fine(self):
        response = self.upload("\ufeff" + GOOD.replace("\n", "\r\n"))
        self.assertContains(response, "no problems")

    def test_the_upload_is_checked_again_when_imported(self):
        response = self.upload(GOOD)
        Enrolment.objects.create(
            program=self.program,
            user=User.objects.create_user("nia@example.org", full_name="Nia"),
            role="mentee",
        )
        response = self.confirm(response)
        self.assertContains(response, "Nothing was imported. 1 problem to fix in the file")
        self.assertContains(
            response, "Line 2, column role: Already enrolled in this program as mentee."
        )
        self.assertFalse(User.objects.filter(email="sam@example.org").exists())
        self.assertEqual(PeopleUpload.objects.get().status, PeopleUpload.Status.FAILED)
        self.assertEqual(self.events().count("people_import_failed"), 1)

    def test_a_missing_upload_sends_back_to_the_form(self):
        url = reverse(
            "office:confirm_import",
            args=[self.program.public_id, "00000000-0000-0000-0000-000000000000"],
        )
        self.assertRedirects(self.client.post(url), self.url)

    def test_others_may_not_preview_or_import(self):
        upload = self.upload(GOOD).context["upload"]
        confirm = reverse("office:confirm_import", args=[self.program.public_id, upload.public_id])
        for person, status in ((self.carl, 404), (self.olive, 404), (self.theo, 403)):
            self.sign_in(person)
            self.assertEqual(self.client.get(self.url).status_code, status)
            self.assertEqual(self.client.post(confirm).status_code, status)
            self.assertEqual(self.client.get(self.status_url(upload)).status_code, status)
        self.assertFalse(User.objects.filter(email="nia@example.org").exists())


class ImportInTheBackgroundTestCase(ImportTestCase):
    """The import runs in the worker; the status page says how it goes."""

    def queue(self) -> PeopleUpload:
        """Press "Import" without the worker running: the task waits in the queue."""
        upload = self.upload(GOOD).context["upload"]
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.client.post(
                reverse("office:confirm_import", args=[self.program.public_id, upload.public_id])
            )
        self.assertRedirects(response, self.status_url(upload))
        self.assertEqual(len(callbacks), 1)  # one task enqueued
        upload.refresh_from_db()
        return upload

    def test_the_status_page_waits_and_polls_until_the_worker_imports(self):
        upload = self.queue()
        self.assertEqual(upload.status, PeopleUpload.Status.QUEUED)
        self.assertFalse(User.objects.filter(email="nia@example.org").exists())
        response = self.client.get(self.status_url(upload))
        self.assertContains(response, "Importing 4 rows: the whole file or nothing.")
        self.assertContains(response, 'hx-trigger="every 1s"')
        self.assertContains(response, ">Check again</a>")  # without JavaScript: reload
        with self.captureOnCommitCallbacks(execute=True):
            tasks.import_people.call(upload.pk)
        response = self.client.get(
            self.status_url(upload), headers={"HX-Request": "true", "HX-Target": "import-status"}
        )
        self.assertContains(response, "Imported: 2 invited")
        self.assertNotContains(response, "<h1>")  # the fragment only
        self.assertNotContains(response, "hx-trigger")
        self.assertTrue(User.objects.filter(email="nia@example.org").exists())

    def test_a_second_click_or_a_second_run_imports_once(self):
        upload = self.queue()
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            response = self.client.post(
                reverse("office:confirm_import", args=[self.program.public_id, upload.public_id])
            )
        self.assertRedirects(response, self.status_url(upload))
        self.assertEqual(callbacks, [])  # not enqueued again
        with self.captureOnCommitCallbacks(execute=True):
            tasks.import_people.call(upload.pk)
            tasks.import_people.call(upload.pk)
        self.assertEqual(self.events().count("people_imported"), 1)
        self.assertEqual(Enrolment.objects.filter(user__email="nia@example.org").count(), 1)

    def test_a_new_preview_keeps_an_import_that_is_still_waiting(self):
        upload = self.queue()
        self.upload(GOOD)
        upload.refresh_from_db()
        self.assertEqual(upload.status, PeopleUpload.Status.QUEUED)

    def test_an_unexpected_error_imports_nothing_and_says_so(self):
        upload = self.queue()
        with (
            mock.patch.object(services, "enrol_people", side_effect=RuntimeError("disk full")),
            self.assertRaises(RuntimeError),
        ):
            tasks.import_people.call(upload.pk)
        response = self.client.get(self.status_url(upload))
        self.assertContains(response, "Nothing was imported.")
        self.assertContains(response, "stopped on an unexpected error")
        self.assertFalse(User.objects.filter(email="nia@example.org").exists())
