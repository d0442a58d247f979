from django.core.exceptions import PermissionDenied

from mentorpact.meetings import services
from mentorpact.meetings.models import Note
from mentorpact.meetings.services import MeetingError
from mentorpact.meetings.tests.base import MeetingsTestCase


class EditNoteTest(MeetingsTestCase):
    def edit(self, note, user=None, **overrides):
        arguments = {
            "note": note,
            "user": user or self.theo,
            "body": "Changed my mind",
            "visibility": "shared",
            "based_on_version": note.version,
        }
        return services.edit_note(**(arguments | overrides))

    def test_the_author_changes_the_text_and_who_sees_it(self):
        note = self.note()

        self.edit(note)

        note = Note.objects.get(pk=note.pk)
        self.assertEqual(
            (note.body, note.visibility, note.version), ("Changed my mind", "shared", 2)
        )
        self.assertTrue(note.was_edited)
        self.assertNotIn("Changed", note.body_token)

    def test_the_partner_may_not_change_a_shared_note(self):
        note = self.note(visibility="shared")

        with self.assertRaises(PermissionDenied):
            self.edit(note, user=self.mia)

        self.assertEqual(Note.objects.get(pk=note.pk).body, "Ask Mia about the budget table.")

    def test_an_edit_based_on_an_old_version_is_refused(self):
        note = self.note()
        self.edit(note, body="First window")

        with self.assertRaises(MeetingError) as caught:
            self.edit(note, body="Second window", based_on_version=1)

        self.assertIn("changed in another window", caught.exception.message)
        self.assertEqual(Note.objects.get(pk=note.pk).body, "First window")

    def test_no_edits_after_closing(self):
        note = self.note()
        self.close_partnership("ended_early")

        with self.assertRaises(MeetingError) as caught:
            self.edit(note)

        self.assertIn("ended early", caught.exception.message)
        self.assertEqual(Note.objects.get(pk=note.pk).version, 1)
