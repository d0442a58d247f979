from mentorpact.meetings.models import Note
from mentorpact.meetings.tests.base import MeetingsTestCase


class AddNoteViewTest(MeetingsTestCase):
    def test_a_free_entry_goes_to_the_log(self):
        self.sign_in(self.theo)

        response = self.client.post(
            self.url("add_note"), {"body": "Read two papers", "visibility": "shared"}
        )

        self.assertRedirects(response, self.url("log") + "#notes")
        note = Note.objects.get()
        self.assertEqual(
            (note.body, note.visibility, note.meeting), ("Read two papers", "shared", None)
        )

    def test_a_note_about_a_meeting_goes_back_to_the_meeting(self):
        meeting = self.held()
        self.sign_in(self.mia)

        response = self.client.post(
            self.url("add_meeting_note", meeting), {"body": "Went well", "visibility": "private"}
        )

        self.assertRedirects(response, self.url("detail", meeting) + "#notes")
        self.assertEqual(Note.objects.get().meeting, meeting)

    def test_htmx_gets_the_notes_with_the_new_one_and_an_empty_form(self):
        self.sign_in(self.theo)

        response = self.client.post(
            self.url("add_note"), {"body": "Via htmx", "visibility": "private"}, headers=self.htmx()
        )

        self.assertNotContains(response, "<html")
        self.assertContains(response, 'id="notes"')
        self.assertContains(response, "Via htmx")
        self.assertContains(response, "Private to you")
        self.assertNotContains(response, ">Via htmx</textarea>")

    def test_an_empty_note_is_refused_beside_the_field_and_nothing_saved(self):
        self.sign_in(self.theo)

        response = self.client.post(self.url("add_note"), {"body": "", "visibility": "shared"})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="id_body_error"')
        self.assertFalse(Note.objects.exists())

    def test_after_closing_the_note_is_refused_with_the_reason_and_the_text_kept(self):
        self.close_partnership()
        self.sign_in(self.theo)

        response = self.client.post(
            self.url("add_note"), {"body": "Too late", "visibility": "shared"}, headers=self.htmx()
        )

        self.assertContains(response, "This partnership has concluded")
        self.assertContains(response, "Too late</textarea>")
        self.assertFalse(Note.objects.exists())

    def test_get_is_refused(self):
        self.sign_in(self.theo)

        self.assertEqual(self.client.get(self.url("add_note")).status_code, 405)

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                response = self.client.post(
                    self.url("add_note"), {"body": "x", "visibility": "shared"}
                )
                self.assertEqual(response.status_code, status)
        self.assertFalse(Note.objects.exists())
