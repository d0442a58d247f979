from django.test import override_settings
from django.urls import reverse

from mentorpact.office import services
from mentorpact.office.tests.base import OfficeTestCase
from mentorpact.programs.models import Enrolment


def people(count: int, role: str = "mentee") -> list[services.Person]:
    return [
        services.Person(email=f"{role}{n}@example.org", full_name=f"Person {n}", role=role)
        for n in range(count)
    ]


@override_settings(PAGE_SIZE=25)
class RosterTestCase(OfficeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("office:roster", args=[self.program.public_id])

    def test_it_lists_everyone_with_role_status_and_pairing(self):
        services.enrol_people(program=self.program, people=people(1), actor=self.cora)
        self.sign_in(self.cora)
        response = self.client.get(self.url)
        self.assertContains(response, "Mia Mentor")
        self.assertContains(response, "1 of 1 mentee")
        self.assertContains(response, "Paired with Mia Mentor")
        self.assertContains(response, "mentee0@example.org")
        self.assertContains(response, "Invited")
        self.assertContains(response, "Waiting")

    def test_filters_by_role_status_and_search(self):
        services.enrol_people(program=self.program, people=people(2), actor=self.cora)
        self.sign_in(self.cora)
        waiting = self.client.get(self.url, {"status": "waiting"})
        self.assertContains(waiting, "mentee1@example.org")
        self.assertNotContains(waiting, "theo@example.org")
        self.assertContains(self.client.get(self.url, {"status": "paired"}), "theo@example.org")
        invited = self.client.get(self.url, {"status": "invited"})
        self.assertNotContains(invited, "mia@example.org")
        mentors = self.client.get(self.url, {"role": "mentor"})
        self.assertContains(mentors, "mia@example.org")
        self.assertNotContains(mentors, "theo@example.org")
        found = self.client.get(self.url, {"q": "THEO"})
        self.assertContains(found, "theo@example.org")
        self.assertNotContains(found, "mia@example.org")

    def test_unknown_filters_are_ignored(self):
        self.sign_in(self.cora)
        response = self.client.get(self.url, {"role": "boss", "status": "x", "page": "999"})
        self.assertContains(response, "mia@example.org")

    def test_the_htmx_fragment_is_the_list_only(self):
        self.sign_in(self.cora)
        response = self.client.get(
            self.url, {"role": "mentor"}, headers={"HX-Request": "true", "HX-Target": "roster-list"}
        )
        self.assertContains(response, 'id="roster-list"')
        self.assertNotContains(response, "<h1>")
        self.assertIn("HX-Target", response["Vary"])

    def test_the_query_count_does_not_grow_with_the_program(self):
        self.sign_in(self.cora)
        services.enrol_people(program=self.program, people=people(100), actor=self.cora)
        # session, user, access, program, count, page
        with self.assertNumQueries(6):
            self.client.get(self.url)
        services.enrol_people(
            program=self.program, people=people(300, role="mentor"), actor=self.cora
        )
        with self.assertNumQueries(6):
            self.client.get(self.url, {"status": "waiting"})
        self.assertEqual(Enrolment.objects.filter(program=self.program).count(), 403)

    def test_others_are_refused(self):
        for person, status in (
            (self.carl, 404),
            (self.olive, 404),
            (self.mia, 403),
            (self.theo, 403),
        ):
            self.sign_in(person)
            self.assertEqual(self.client.get(self.url).status_code, status)
