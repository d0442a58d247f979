from django.core import mail
from django.urls import reverse

from mentorpact.office.models import Invitation
from mentorpact.office.tests.base import OfficeTestCase
from mentorpact.programs.models import Enrolment, Program


class ProgramsPageTestCase(OfficeTestCase):
    url = reverse("office:programs")

    def create(self, **data):
        self.sign_in(self.ada)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(
                self.url,
                {"name": "Engineering Mentors", "coordinator_email": "Nina@Example.org"}
                | {"coordinator_name": "Nina New"}
                | data,
            )

    def test_a_site_administrator_sees_every_current_program_with_its_coordinators(self):
        self.sign_in(self.ada)
        with self.assertNumQueries(4):  # session, user, programs, their coordinators
            response = self.client.get(self.url)
        self.assertContains(response, "Peer Mentoring")
        self.assertContains(response, "Cora Coordinator")
        self.assertContains(response, "Other Program")

    def test_it_creates_a_program_and_invites_its_coordinator(self):
        response = self.create()
        self.assertRedirects(response, self.url)
        program = Program.objects.get(name="Engineering Mentors")
        enrolment = Enrolment.objects.get(program=program)
        self.assertEqual(
            (enrolment.user.email, enrolment.role), ("nina@example.org", "coordinator")
        )
        self.assertFalse(enrolment.user.has_usable_password())
        self.assertTrue(Invitation.objects.get(program=program).is_pending)
        self.assertEqual(self.events(program), ["created", "invited"])
        self.assertEqual(self.sent_to(), ["nina@example.org"])
        self.assertIn("/invitations/", mail.outbox[0].body)

    def test_an_existing_account_is_enrolled_and_told(self):
        self.create(coordinator_email="mia@example.org", coordinator_name="")
        program = Program.objects.get(name="Engineering Mentors")
        self.assertTrue(program.enrolments.filter(user=self.mia, role="coordinator").exists())
        self.assertFalse(Invitation.objects.filter(program=program).exists())
        self.assertEqual(self.sent_to(), ["mia@example.org"])
        self.assertIn("added to Engineering Mentors", mail.outbox[0].subject)

    def test_a_new_coordinator_needs_a_name_beside_the_field(self):
        response = self.create(coordinator_name="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "give their name", status_code=400)
        self.assertContains(response, 'value="Engineering Mentors"', status_code=400)
        self.assertFalse(Program.objects.filter(name="Engineering Mentors").exists())

    def test_a_bad_email_is_refused_beside_the_field(self):
        response = self.create(coordinator_email="not-an-email")
        self.assertContains(response, 'id="id_coordinator_email_error"', status_code=400)
        self.assertContains(response, 'id="error-summary"', status_code=400)

    def test_it_archives_and_restores_a_program(self):
        self.sign_in(self.ada)
        url = reverse("office:archive", args=[self.program.public_id])
        self.assertRedirects(self.client.post(url), self.url)
        self.client.post(url)  # twice: one event
        self.program.refresh_from_db()
        self.assertIsNotNone(self.program.archived_at)
        settings = reverse("office:settings", args=[self.program.public_id])
        self.assertNotContains(self.client.get(self.url), settings)
        self.assertContains(self.client.get(self.url + "?archived=1"), settings)
        self.client.post(url, {"restore": "1"})
        self.program.refresh_from_db()
        self.assertIsNone(self.program.archived_at)
        self.assertEqual(self.events(), ["archived", "restored"])

    def test_others_are_refused(self):
        for person in (self.cora, self.carl, self.mia, self.olive):
            self.sign_in(person)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.client.post(self.url, {"name": "X"}).status_code, 403)
        archive = reverse("office:archive", args=[self.program.public_id])
        self.sign_in(self.carl)
        self.assertEqual(self.client.post(archive).status_code, 404)

    def test_archive_refuses_get(self):
        self.sign_in(self.ada)
        url = reverse("office:archive", args=[self.program.public_id])
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_the_navigation_shows_programs_to_site_administrators_only(self):
        self.sign_in(self.ada)
        self.assertContains(self.client.get(reverse("partnerships:mine")), 'href="/programs/"')
        self.sign_in(self.mia)
        self.assertNotContains(self.client.get(reverse("partnerships:mine")), 'href="/programs/"')
