from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.office import services
from mentorpact.office.models import Invitation
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

    def add_people(self, count: int) -> None:
        """`count` more people, a quarter of them mentors, half of them still invited."""
        start = User.objects.count()
        users = User.objects.bulk_create(
            User(email=f"p{n}@example.org", full_name=f"Person {n}", password="!")
            for n in range(start, start + count)
        )
        enrolments = Enrolment.objects.bulk_create(
            Enrolment(program=self.program, user=u, role="mentor" if n % 4 else "mentee")
            for n, u in enumerate(users)
        )
        Invitation.objects.bulk_create(
            Invitation(program=self.program, user=e.user, role=e.role, sent_at=timezone.now())
            for e in enrolments[::2]
        )

    def test_the_query_count_is_the_same_at_100_and_5000_people(self):
        self.sign_in(self.cora)
        self.add_people(97)  # and Cora, Mia, Theo
        # session, user, the program with the access check (issue 18: was two), count, page
        with self.assertNumQueries(5):
            self.client.get(self.url)
        with self.assertNumQueries(5):
            self.client.get(self.url, {"status": "waiting", "page": "2"})
        self.add_people(4900)
        self.assertEqual(Enrolment.objects.filter(program=self.program).count(), 5000)
        with self.assertNumQueries(5):
            response = self.client.get(self.url)
        self.assertContains(response, "5000 people")
        with self.assertNumQueries(5):
            self.client.get(self.url, {"status": "waiting", "page": "2"})

    def test_others_are_refused(self):
        for person, status in (
            (self.carl, 404),
            (self.olive, 404),
            (self.mia, 403),
            (self.theo, 403),
        ):
            self.sign_in(person)
            self.assertEqual(self.client.get(self.url).status_code, status)
