from mentorpact.meetings.models import Note
from mentorpact.meetings.tests.base import MeetingsTestCase


class EditNoteViewTest(MeetingsTestCase):
    def test_the_author_edits_their_note(self):
        note = self.note(body="Draft thought")
        self.sign_in(self.theo)

        page = self.client.get(self.url("edit_note", note))
        self.assertContains(page, "Draft thought")

        response = self.client.post(
            self.url("edit_note", note),
            {"body": "Clear thought", "visibility": "shared", "version": "1"},
        )

        self.assertRedirects(response, self.url("log") + "#notes")
        note.refresh_from_db()
        self.assertEqual((note.body, note.visibility, note.version), ("Clear thought", "shared", 2))

    def test_a_stale_page_is_refused_and_the_text_kept(self):
        note = self.note()
        self.sign_in(self.theo)
        data = {"body": "One", "visibility": "private", "version": "1"}
        self.client.post(self.url("edit_note", note), data)

        response = self.client.post(self.url("edit_note", note), {**data, "body": "Two"})

        self.assertContains(response, "changed in another window")
        self.assertContains(response, "Two</textarea>")
        self.assertEqual(Note.objects.get().body, "One")

    def test_htmx_gets_the_form_or_a_client_redirect(self):
        note = self.note()
        self.sign_in(self.theo)

        refused = self.client.post(
            self.url("edit_note", note),
            {"body": "", "visibility": "private", "version": "1"},
            headers=self.htmx(),
        )
        self.assertNotContains(refused, "<html")
        self.assertContains(refused, 'id="id_body_error"')

        done = self.client.post(
            self.url("edit_note", note),
            {"body": "Ok", "visibility": "private", "version": "1"},
            headers=self.htmx(),
        )
        self.assertEqual(done["HX-Redirect"], self.url("log") + "#notes")

    def test_the_partner_may_read_a_shared_note_but_not_edit_it(self):
        note = self.note(visibility="shared")
        self.sign_in(self.mia)

        self.assertEqual(self.client.get(self.url("edit_note", note)).status_code, 403)

    def test_a_partners_private_note_is_not_found(self):
        note = self.note(visibility="private")
        self.sign_in(self.mia)

        self.assertEqual(self.client.get(self.url("edit_note", note)).status_code, 404)

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        note = self.note(visibility="shared")
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.client.get(self.url("edit_note", note)).status_code, status)

    def test_after_closing_the_note_is_shown_read_only(self):
        note = self.note(body="Kept as it was")
        self.close_partnership()
        self.sign_in(self.theo)

        response = self.client.get(self.url("edit_note", note))

        self.assertContains(response, "This partnership has concluded")
        self.assertContains(response, "Kept as it was")
        self.assertNotContains(response, "<textarea")
