from django.urls import reverse

from mentorpact.partnerships.services import change_status, create_partnership
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import BaseTestCase, make_user


class MyPartnershipsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("partnerships:mine")

    def page_for(self, user):
        self.sign_in(user)
        return self.client.get(self.url)

    def detail_url(self, partnership) -> str:
        return reverse("partnerships:detail", args=[partnership.public_id])

    def test_a_mentor_sees_her_partnership_and_her_role(self):
        response = self.page_for(self.mia)
        self.assertContains(response, self.detail_url(self.partnership))
        self.assertContains(response, "Theo Mentee")
        self.assertContains(response, "You are the <strong>mentor</strong> · Peer Mentoring")

    def test_a_mentee_sees_his_partnership_and_his_role(self):
        response = self.page_for(self.theo)
        self.assertContains(response, self.detail_url(self.partnership))
        self.assertContains(response, "Mia Mentor")
        self.assertContains(response, "You are the <strong>mentee</strong>")

    def test_it_shows_only_my_partnerships(self):
        other_mentor = make_user("omar@example.org", "Omar Othermentor")
        other_mentee = make_user("pia@example.org", "Pia Othermentee")
        Enrolment.objects.create(program=self.program, user=other_mentor, role="mentor")
        Enrolment.objects.create(program=self.program, user=other_mentee, role="mentee")
        theirs = create_partnership(program=self.program, mentor=other_mentor, mentee=other_mentee)

        response = self.page_for(self.mia)
        self.assertNotContains(response, self.detail_url(theirs))
        self.assertNotContains(response, "Pia Othermentee")

    def test_someone_who_is_mentor_in_one_program_and_mentee_in_another_sees_both(self):
        other = Program.objects.create(name="Leadership Circle")
        Enrolment.objects.create(program=other, user=self.mia, role="mentee")
        Enrolment.objects.create(program=other, user=self.olive, role="mentor")
        as_mentee = create_partnership(program=other, mentor=self.olive, mentee=self.mia)

        response = self.page_for(self.mia)
        self.assertContains(response, self.detail_url(self.partnership))
        self.assertContains(response, self.detail_url(as_mentee))
        self.assertContains(response, "You are the <strong>mentee</strong> · Leadership Circle")

    def test_open_partnerships_come_first_then_the_newest(self):
        concluded, drafting, ended = self.add_mentees(3)
        change_status(partnership=concluded, to_status="active", actor=self.cora)
        change_status(partnership=concluded, to_status="concluded", actor=self.cora)
        change_status(partnership=ended, to_status="ended_early", actor=self.cora)
        change_status(partnership=self.partnership, to_status="active", actor=self.cora)

        content = self.page_for(self.mia).content.decode()
        order = sorted(
            [self.partnership, concluded, drafting, ended],
            key=lambda p: content.index(self.detail_url(p)),
        )
        # Open (newest first): Mentee Number2, Theo; then closed (newest first): 3, 1.
        self.assertEqual(order, [drafting, self.partnership, ended, concluded])

    def test_a_coordinator_sees_the_programs_she_coordinates(self):
        response = self.page_for(self.cora)
        self.assertContains(response, "Programs you coordinate")
        self.assertContains(response, reverse("programs:overview", args=[self.program.public_id]))
        self.assertContains(response, "You are not a mentor or mentee in any partnership yet.")
        # The program's partnerships are on the overview, not in "my" list.
        self.assertNotContains(response, self.detail_url(self.partnership))

    def test_a_partner_is_not_shown_the_programs_list(self):
        response = self.page_for(self.mia)
        self.assertNotContains(response, "Programs you coordinate")

    def test_an_outsider_sees_an_empty_page(self):
        response = self.page_for(self.olive)
        self.assertContains(response, "You are not a mentor or mentee in any partnership yet.")
        self.assertNotContains(response, "Programs you coordinate")
        self.assertNotContains(response, "Peer Mentoring")

    def test_it_asks_an_anonymous_visitor_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={self.url}", fetch_redirect_response=False
        )

    def test_it_refuses_post(self):
        self.sign_in(self.mia)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_its_query_count_does_not_grow_with_the_partnerships(self):
        # Session, user, partnerships (with program and people), the programs asking intake
        # questions (matching; none here, so no more), coordinated programs.
        self.sign_in(self.mia)
        with self.assertNumQueries(5):
            response = self.client.get(self.url)
        self.assertContains(response, 'class="card"', count=1)

        self.add_mentees(9)
        with self.assertNumQueries(5):
            response = self.client.get(self.url)
        self.assertContains(response, 'class="card"', count=10)
