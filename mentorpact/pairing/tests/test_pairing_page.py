from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from mentorpact.pairing.tests import IMMEDIATE_TASKS, enrol
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import BaseTestCase

MENTEE = Enrolment.Role.MENTEE
MENTOR = Enrolment.Role.MENTOR
HTMX = {"HX-Request": "true"}


@override_settings(TASKS=IMMEDIATE_TASKS)
class PairingPageTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("pairing:page", args=[self.program.public_id])
        self.nina = enrol(self.program, "nina@example.org", "Nina Newcomer", MENTEE)
        self.max = enrol(self.program, "max@example.org", "Max Mentor", MENTOR, capacity=2)
        self.sign_in(self.cora)

    def post(self, mentor, mentee, **headers):
        return self.client.post(
            self.url,
            {"mentor": str(mentor.public_id), "mentee": str(mentee.public_id)},
            headers=headers,
        )

    def test_it_lists_mentors_with_their_places_and_only_waiting_mentees(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Max Mentor")
        self.assertContains(response, "0 of 2 places taken")
        self.assertContains(response, "1 of 1 place taken (full)")  # Mia, with Theo
        self.assertContains(response, "Nina Newcomer")
        mentee_list = response.content.decode().split('id="mentee-list"')[1]
        self.assertNotIn("Theo Mentee", mentee_list.split("</fieldset>")[0])

    def test_a_search_narrows_a_list_and_htmx_gets_only_that_list(self):
        enrol(self.program, "ola@example.org", "Ola Other", MENTEE)
        response = self.client.get(
            self.url, {"mentee_q": "nina"}, headers={**HTMX, "HX-Target": "mentee-list"}
        )
        content = response.content.decode()
        self.assertTrue(content.lstrip().startswith('<div id="mentee-list"'))
        self.assertIn("Nina Newcomer", content)
        self.assertNotIn("Ola Other", content)
        self.assertNotIn("<html", content)

    def test_a_search_matches_the_department_too(self):
        self.nina.department = "Chemistry"
        self.nina.save()
        response = self.client.get(self.url, {"mentee_q": "chem"})
        self.assertContains(response, "Nina Newcomer")

    def test_pairing_creates_the_partnership_and_says_so(self):
        response = self.post(self.max, self.nina)
        self.assertRedirects(response, self.url)
        partnership = Partnership.objects.get(mentee=self.nina)
        self.assertEqual(partnership.mentor, self.max)
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertEqual(
            message,
            "Paired Max Mentor with Nina Newcomer. Both have been emailed; their agreement is "
            "due 23 February 2027.",
        )

    def test_a_mentor_at_capacity_is_refused_beside_the_field_with_the_choices_kept(self):
        response = self.post(self.mia, self.nina)
        self.assertEqual(response.status_code, 400)
        content = response.content.decode()
        self.assertIn('id="mentor-error"', content)
        self.assertIn("Mia Mentor already mentors 1 of the 1 mentee they can take", content)
        self.assertIn(f'value="{self.mia.public_id}" checked', content)
        self.assertIn(f'value="{self.nina.public_id}" checked', content)
        self.assertFalse(Partnership.objects.filter(mentee=self.nina).exists())

    def test_nothing_chosen_or_made_up_ids_are_refused_not_a_500(self):
        response = self.client.post(self.url, {"mentor": "not-a-uuid"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose a mentor from the list.", status_code=400)
        self.assertContains(response, "Choose a mentee.", status_code=400)
        response = self.post(self.olive, self.nina)  # Olive is no mentor here
        self.assertContains(response, "Choose a mentor from the list.", status_code=400)

    def test_a_coordinator_of_another_program_gets_404(self):
        other = Program.objects.create(name="Other Program")
        Enrolment.objects.create(program=other, user=self.olive, role=Enrolment.Role.COORDINATOR)
        self.sign_in(self.olive)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.post(self.max, self.nina).status_code, 404)
        self.assertFalse(Partnership.objects.filter(mentee=self.nina).exists())

    def test_a_mentor_gets_403(self):
        self.sign_in(self.mia)
        self.assertEqual(self.post(self.max, self.nina).status_code, 403)

    def test_the_page_costs_the_same_queries_for_5_and_60_people(self):
        def count() -> int:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(self.url).status_code, 200)
            return len(queries)

        few = count()
        for n in range(30):
            enrol(self.program, f"m{n}@example.org", f"Mentor {n}", MENTOR)
            enrol(self.program, f"e{n}@example.org", f"Mentee {n}", MENTEE)
        self.add_mentees(5)
        self.assertEqual(count(), few)
        with self.assertNumQueries(few):
            self.client.get(self.url)


@override_settings(TASKS=IMMEDIATE_TASKS)
class UnpairViewTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("pairing:unpair", args=[self.partnership.public_id])

    def test_the_coordinator_undoes_a_pairing_and_is_sent_back_to_the_page(self):
        self.sign_in(self.cora)
        response = self.client.post(self.url)
        self.assertRedirects(response, reverse("pairing:page", args=[self.program.public_id]))
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, Partnership.Status.UNPAIRED)
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertIn("Theo Mentee is waiting for a mentor again", message)

    def test_a_refusal_is_a_message_not_an_error_page(self):
        Partnership.objects.filter(pk=self.partnership.pk).update(status="active")
        self.sign_in(self.cora)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "only a pairing still drafting its agreement can be undone")

    def test_get_is_refused(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.url).status_code, 405)

    def test_the_partners_get_403_and_another_programs_coordinator_404(self):
        for user in (self.mia, self.theo):
            self.sign_in(user)
            self.assertEqual(self.client.post(self.url).status_code, 403)
        other = Program.objects.create(name="Other Program")
        Enrolment.objects.create(program=other, user=self.olive, role=Enrolment.Role.COORDINATOR)
        self.sign_in(self.olive)
        self.assertEqual(self.client.post(self.url).status_code, 404)
        self.partnership.refresh_from_db()
        self.assertEqual(self.partnership.status, Partnership.Status.DRAFTING)
