"""The whole record as a ZIP, for either partner."""

import csv
import io
import tempfile
import zipfile
from datetime import UTC, datetime

from django.test import override_settings
from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.progress import services
from mentorpact.progress.tests.base import ProgressTestCase


class RecordTest(ProgressTestCase):
    @classmethod
    def setUpClass(cls):
        media = tempfile.TemporaryDirectory(prefix="mentorpact-progress-")
        cls.addClassCleanup(media.cleanup)
        settings = override_settings(
            MEDIA_ROOT=media.name, AGREEMENT_SIGNING_KEY="", AGREEMENT_SIGNING_CERT=""
        )
        settings.enable()
        cls.addClassCleanup(settings.disable)
        super().setUpClass()

    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("progress:record", args=[self.partnership.public_id])

    def download(self, user):
        self.sign_in(user)
        return self.client.get(self.url)

    def test_it_holds_the_signed_agreement_the_plan_and_a_readable_page(self):
        self.sign()
        plan = self.start_plan()
        item = plan.items.get(position=1)
        services.update_plan_item(
            item=item,
            actor=self.theo,
            changes=services.ItemChanges(
                "done", "Step one\nStep two", "Mia signs off", "mentee", "", None, "All done"
            ),
            based_on_version=1,
        )
        response = self.download(self.theo)

        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn(
            'filename="mentorpact-record-mia-mentor-theo-mentee.zip"',
            response["Content-Disposition"],
        )
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        names = set(archive.namelist())
        self.assertLessEqual(
            {
                "record.html",
                "README.txt",
                "action-plan.csv",
                "commitments.csv",
                "timeline.csv",
                "agreements/agreement-1-version-1.pdf",
            },
            names,
        )
        self.assertTrue(archive.read("agreements/agreement-1-version-1.pdf").startswith(b"%PDF"))
        rows = list(
            csv.DictReader(io.StringIO(archive.read("action-plan.csv").decode("utf-8-sig")))
        )
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows[1]["status"], "Done")
        self.assertEqual(rows[1]["action steps"], "Step one\nStep two")
        page = archive.read("record.html").decode()
        self.assertIn("Review two papers with Mia&#x27;s comments", page)
        self.assertIn("Action plan started: 4 goals", page)

    def test_it_holds_the_meetings_part_of_the_record(self):
        from mentorpact.meetings import services as meeting_services

        self.sign()
        meeting_services.record_past_meeting(
            partnership=self.partnership,
            user=self.theo,
            starts_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
            time_zone="UTC",
            held_minutes=45,
            mode="face_to_face",
            topics="Reviews",
        )
        archive = zipfile.ZipFile(io.BytesIO(self.download(self.theo).content))
        names = set(archive.namelist())
        self.assertLessEqual({"meetings/meetings.csv", "meetings/meetings.ics"}, names)
        self.assertIn("Reviews", archive.read("meetings/meetings.csv").decode("utf-8-sig"))
        self.assertIn("meetings/meetings.csv", archive.read("record.html").decode())

    def test_downloading_is_recorded_for_the_partners_timeline(self):
        self.download(self.mia)
        event = Event.objects.get(action="progress.record_downloaded")
        self.assertEqual((event.actor, event.details), (self.mia, {"role": "mentor"}))

    def test_it_works_before_anything_is_signed(self):
        response = self.download(self.theo)
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertNotIn("agreements/agreement-1-version-1.pdf", archive.namelist())

    def test_the_coordinator_gets_403_and_an_outsider_404(self):
        self.assertEqual(self.download(self.cora).status_code, 403)
        self.assertEqual(self.download(self.olive).status_code, 404)
        self.assertFalse(Event.objects.filter(action__startswith="progress.").exists())
