import csv
import io

import icalendar

from mentorpact.meetings import services
from mentorpact.meetings.selectors import record_files
from mentorpact.meetings.tests.base import MeetingsTestCase


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


class RecordFilesTest(MeetingsTestCase):
    def setUp(self):
        super().setUp()
        self.meeting = self.held()
        self.note(user=self.theo, body="Theo private", meeting=self.meeting)
        self.note(user=self.mia, body="Mia shared", visibility="shared")
        self.note(user=self.mia, body="Mia private")
        services.submit_feedback(
            meeting=self.meeting,
            user=self.theo,
            answers=["Useful", "", "", "Try again"],
            shared_with_partner=False,
        )

    def test_theo_gets_the_meetings_his_notes_the_shared_ones_and_his_feedback(self):
        files = record_files(self.partnership, self.theo)

        self.assertEqual(
            sorted(files), ["feedback.csv", "meetings.csv", "meetings.ics", "notes.csv"]
        )
        meetings = rows(files["meetings.csv"])
        self.assertEqual(
            meetings[1][:6],
            ["2026-11-22T10:00+00:00", "Europe/London", "Held", "Online", "60", "50"],
        )
        self.assertEqual(meetings[1][7:9], ["Grant proposal outline", "Budget section"])
        self.assertEqual(
            [r[4] for r in rows(files["notes.csv"])[1:]], ["Theo private", "Mia shared"]
        )
        feedback = rows(files["feedback.csv"])[1:]
        self.assertEqual([r[4] for r in feedback], ["Useful", "", "", "Try again"])
        self.assertEqual(len(icalendar.Calendar.from_ical(files["meetings.ics"]).events), 1)

    def test_mia_does_not_get_theos_private_note_nor_his_unshared_feedback(self):
        files = record_files(self.partnership, self.mia)

        notes = [r[4] for r in rows(files["notes.csv"])[1:]]
        self.assertEqual(notes, ["Mia shared", "Mia private"])
        self.assertEqual(rows(files["feedback.csv"])[1:], [])
