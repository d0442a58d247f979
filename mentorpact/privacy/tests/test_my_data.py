import csv
import io
import json
import zipfile
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mentorpact.audit.models import Event
from mentorpact.events import services as event_services
from mentorpact.meetings import services as meeting_services
from mentorpact.meetings.models import Note
from mentorpact.partnerships import services as partnership_services
from mentorpact.programs.models import Enrolment
from mentorpact.support import services as support_services
from mentorpact.test import BaseTestCase, make_user

SHARED = "CANARY-shared-3f1"  # Theo's note shared with Mia: Mia may read it
THEO_PRIVATE = "CANARY-theo-private-9a2"  # Theo's private note: only Theo
MIA_PRIVATE = "CANARY-mia-private-77c"
OTHER_PAIR = "CANARY-other-pair-5d0"  # another partnership's note: neither of them


def unzip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return {name: archive.read(name) for name in archive.namelist()}


def everything(files: dict[str, bytes]) -> bytes:
    """Every byte of the export, the partnership records' files included."""
    return b"\n".join(files.values())


class DownloadMyDataTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        note = meeting_services.add_note
        note(
            partnership=self.partnership,
            user=self.theo,
            body=f"Shared {SHARED}",
            visibility=Note.Visibility.SHARED,
        )
        note(
            partnership=self.partnership,
            user=self.theo,
            body=f"Mine {THEO_PRIVATE}",
            visibility=Note.Visibility.PRIVATE,
        )
        note(
            partnership=self.partnership,
            user=self.mia,
            body=f"Mine {MIA_PRIVATE}",
            visibility=Note.Visibility.PRIVATE,
        )
        # Another pair in the same program, with Cora as their coordinator too.
        mentor, mentee = (
            make_user("nia@example.org", "Nia N"),
            make_user("sam@example.org", "Sam S"),
        )
        for person, role in [(mentor, "mentor"), (mentee, "mentee")]:
            Enrolment.objects.create(program=self.program, user=person, role=role)
        other = partnership_services.create_partnership(
            program=self.program, mentor=mentor, mentee=mentee, actor=self.cora
        )
        note(
            partnership=other,
            user=mentee,
            body=f"Theirs {OTHER_PAIR}",
            visibility=Note.Visibility.SHARED,
        )

    def download(self, user) -> dict[str, bytes]:
        self.sign_in(user)
        response = self.client.get(reverse("privacy:download"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn("mentorpact-my-data-", response["Content-Disposition"])
        return unzip(response)

    def test_a_mentor_gets_every_record_of_hers(self):
        files = self.download(self.mia)
        data = json.loads(files["my-data.json"])
        self.assertEqual(data["profile"][0]["email"], "mia@example.org")
        self.assertEqual(
            [p["code"] for p in data["partnerships"]], [str(self.partnership.public_id)]
        )
        self.assertEqual(data["partnerships"][0]["partner"], "Theo Mentee")
        self.assertEqual([p["role"] for p in data["programs"]], ["Mentor"])
        # Everything the audit trail says she did (the download itself is recorded after).
        self.assertEqual(
            len(data["activity"]),
            Event.objects.filter(actor=self.mia).exclude(action="privacy.data_exported").count(),
        )
        # The partnership's record, as she downloads it from the partnership.
        folder = data["partnership_records"][0]
        self.assertIn(folder + "record.html", files)
        self.assertIn(folder + "meetings/notes.csv", files)
        self.assertIn(b"Your data from Mentorpact, made ", files["README.txt"])
        self.assertIn(folder.encode(), files["README.txt"])
        for name in ("profile", "programs", "partnerships", "signatures", "activity"):
            self.assertIn(f"{name}.csv", files)

    def test_she_sees_what_she_may_read_and_nothing_else(self):
        blob = everything(self.download(self.mia))
        self.assertIn(SHARED.encode(), blob)
        self.assertIn(MIA_PRIVATE.encode(), blob)
        self.assertNotIn(THEO_PRIVATE.encode(), blob)
        self.assertNotIn(OTHER_PAIR.encode(), blob)

    def test_the_coordinators_export_holds_no_pairs_content(self):
        files = self.download(self.cora)
        blob = everything(files)
        for canary in (SHARED, THEO_PRIVATE, MIA_PRIVATE, OTHER_PAIR):
            self.assertNotIn(canary.encode(), blob)
        data = json.loads(files["my-data.json"])
        self.assertEqual(data["partnerships"], [])
        self.assertEqual([p["role"] for p in data["programs"]], ["Coordinator"])

    def test_theos_requests_for_help_are_his_and_not_mias(self):
        request = support_services.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind="concern",
            message="CANARY-my-data-help Mia is often late.",
            partner_may_know=False,
        )
        support_services.add_message(request=request, user=self.cora, body="CANARY-my-data-reply")

        theos = self.download(self.theo)
        data = json.loads(theos["my-data.json"])
        self.assertEqual(
            data["help-requests"][0]["message"], "CANARY-my-data-help Mia is often late."
        )
        self.assertEqual(data["help-messages"][0]["from"], "the program")
        self.assertIn("help-requests.csv", theos)
        blob = everything(self.download(self.mia))
        self.assertNotIn(b"CANARY-my-data-help", blob)
        self.assertNotIn(b"CANARY-my-data-reply", blob)

    def test_theos_program_events_are_in_his_data(self):
        starts = timezone.now() + timedelta(days=3)
        event = event_services.create_event(
            program=self.program,
            actor=self.cora,
            details=event_services.EventDetails(
                title="Training",
                description="",
                starts_at=starts,
                ends_at=starts + timedelta(hours=1),
                time_zone="UTC",
                place="Room 1",
                capacity=None,
                invited_roles=["mentee"],
                required=True,
            ),
        )
        event_services.answer(
            invitation=event.invitations.get(user=self.theo),
            user=self.theo,
            answer="no",
            absence_reason="An exam",
        )

        data = json.loads(self.download(self.theo)["my-data.json"])

        self.assertEqual(data["events"][0]["reason for absence"], "An exam")

    def test_the_download_is_recorded(self):
        self.download(self.theo)
        self.assertTrue(
            Event.objects.filter(actor=self.theo, action="privacy.data_exported").exists()
        )

    def test_its_spreadsheets_never_run_what_someone_typed(self):
        self.mia.department = '=HYPERLINK("http://evil.example")'
        self.mia.save()
        files = self.download(self.mia)
        rows = list(csv.reader(io.StringIO(files["profile.csv"].decode("utf-8-sig"))))
        self.assertEqual(rows[1][3], '\'=HYPERLINK("http://evil.example")')

    def test_the_page_offers_the_download_and_the_deletion(self):
        self.sign_in(self.mia)
        response = self.client.get(reverse("privacy:my_data"))
        self.assertContains(response, reverse("privacy:download"))
        # She is in an open partnership: the page says why she cannot delete yet.
        self.assertContains(response, "You are in an open partnership with Theo Mentee")
        self.assertNotContains(response, 'action="/accounts/delete/"')

    def test_the_profile_links_to_it(self):
        self.sign_in(self.theo)
        self.assertContains(
            self.client.get(reverse("accounts:profile")), reverse("privacy:my_data")
        )
