from mentorpact.meetings.tests.base import MeetingsTestCase


class MeetingLogViewTest(MeetingsTestCase):
    def test_a_partner_sees_the_meetings_and_the_notes_they_may_see(self):
        self.held()
        self.schedule()
        self.note(user=self.theo, body="Theo's own private note")
        self.note(user=self.mia, body="Mia's shared note", visibility="shared")
        self.note(user=self.mia, body="Mia's private note")
        self.sign_in(self.theo)

        response = self.client.get(self.url("log"))

        self.assertContains(response, "Meetings held</dt><dd>1</dd>", html=False)
        self.assertContains(response, "Theo&#x27;s own private note")
        self.assertContains(response, "Mia&#x27;s shared note")
        self.assertNotContains(response, "Mia&#x27;s private note")
        self.assertEqual(len(response.context["meetings"]), 2)

    def test_htmx_asking_for_the_notes_gets_only_them(self):
        self.note(body="Only this")
        self.sign_in(self.theo)

        response = self.client.get(self.url("log"), headers=self.htmx(**{"HX-Target": "notes"}))

        self.assertNotContains(response, "<html")
        self.assertContains(response, 'id="notes"')
        self.assertContains(response, "Only this")

    def test_after_closing_the_log_is_read_only(self):
        self.note(body="Kept")
        self.close_partnership()
        self.sign_in(self.theo)

        response = self.client.get(self.url("log"))

        self.assertContains(response, "This partnership has concluded")
        self.assertContains(response, "Kept")
        self.assertNotContains(response, "Add note</button>")
        self.assertNotContains(response, self.url("schedule"))

    def test_the_coordinator_is_refused_and_an_outsider_not_told_it_exists(self):
        for person, status in ((self.cora, 403), (self.olive, 404)):
            with self.subTest(person=person):
                self.sign_in(person)
                self.assertEqual(self.client.get(self.url("log")).status_code, status)

    def test_the_page_takes_the_same_queries_however_many_meetings_and_notes(self):
        self.held()
        self.sign_in(self.theo)
        self.client.get(self.url("log"))
        with self.assertNumQueries(9) as before:
            self.client.get(self.url("log"))
        for n in range(5):
            self.schedule(user=self.mia if n % 2 else self.theo)
            self.note(
                body=f"Note {n}", visibility="shared", meeting=self.partnership.meetings.first()
            )
            self.note(user=self.mia, body=f"Mia {n}", visibility="shared")

        with self.assertNumQueries(len(before.captured_queries)):
            self.client.get(self.url("log"))
