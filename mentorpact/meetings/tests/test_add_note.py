from django.core.exceptions import PermissionDenied

from mentorpact.meetings.models import Note
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import NOW, MeetingsTestCase


class AddNoteTest(MeetingsTestCase):
    def test_a_free_entry_is_added_private_by_default_in_this_helper(self):
        note = self.note(body="  Ask about the budget.  ")

        note.refresh_from_db()
        self.assertEqual(note.body, "Ask about the budget.")
        self.assertEqual((note.author, note.visibility, note.meeting), (self.theo, "private", None))
        self.assertEqual((note.created_at, note.version), (NOW, 1))

    def test_a_note_about_a_meeting_belongs_to_it(self):
        meeting = self.held()

        note = self.note(meeting=meeting, visibility=Note.Visibility.SHARED)

        self.assertEqual(list(meeting.notes.all()), [note])

    def test_a_meeting_of_another_partnership_is_refused(self):
        other = self.add_mentees(1)[0]
        self.partnership, mine = other, self.partnership
        foreign = self.schedule(user=self.mia, mode="online")
        self.partnership = mine

        with self.assertRaises(MeetingError):
            self.note(meeting=foreign)

    def test_an_empty_note_is_refused_beside_the_body(self):
        with self.assertRaises(MeetingError) as caught:
            self.note(body="   ")

        self.assertEqual(caught.exception.field, "body")
        self.assertFalse(Note.objects.exists())

    def test_an_unknown_visibility_is_refused(self):
        with self.assertRaises(MeetingError) as caught:
            self.note(visibility="everyone")

        self.assertEqual(caught.exception.field, "visibility")

    def test_the_coordinator_and_outsiders_cannot_write_notes(self):
        for person in (self.cora, self.olive):
            with self.subTest(person=person), self.assertRaises(PermissionDenied):
                self.note(user=person)

    def test_no_notes_are_added_after_closing(self):
        self.close_partnership()

        with self.assertRaises(MeetingError) as caught:
            self.note()

        self.assertIn("concluded: its record can be read", caught.exception.message)
