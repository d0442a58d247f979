import uuid
from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from mentorpact.partnerships.services import change_status
from mentorpact.programs.models import Enrolment, Program
from mentorpact.test import BaseTestCase, make_user

COORDINATOR_NOTICE = "As the program's coordinator you see this partnership's dates and status."


class PartnershipDetailTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.url = reverse("partnerships:detail", args=[self.partnership.public_id])

    def page_for(self, user, url: str = ""):
        self.sign_in(user)
        return self.client.get(url or self.url)

    def test_the_partners_see_the_partnership(self):
        for person in [self.mia, self.theo]:
            with self.subTest(person.full_name):
                response = self.page_for(person)
                self.assertContains(response, '<h1>Mia Mentor <span class="amp">&amp;</span>')
                self.assertContains(response, "<dd>Peer Mentoring</dd>")
                self.assertContains(response, "Drafting agreement")
                self.assertContains(response, "<dd>23 February 2027</dd>")
                self.assertNotContains(response, COORDINATOR_NOTICE)

    def test_a_partner_goes_back_to_my_partnerships(self):
        response = self.page_for(self.mia)
        self.assertContains(response, f'<a href="{reverse("partnerships:mine")}">My partnerships')

    def test_the_coordinator_sees_the_metadata_and_a_notice(self):
        response = self.page_for(self.cora)
        self.assertContains(response, "Drafting agreement")
        self.assertContains(response, COORDINATOR_NOTICE)
        self.assertContains(response, "What the partners write stays between them.")
        self.assertFalse(response.context["access"].is_partner)

    def test_the_coordinator_goes_back_to_the_program_overview(self):
        response = self.page_for(self.cora)
        overview = reverse("programs:overview", args=[self.program.public_id])
        self.assertContains(response, f'<a href="{overview}">Peer Mentoring</a>')

    def test_an_outsider_gets_not_found(self):
        response = self.page_for(self.olive)
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Mia Mentor", status_code=404)

    def test_the_coordinator_of_another_program_gets_not_found(self):
        other = Program.objects.create(name="Another Program")
        Enrolment.objects.create(program=other, user=self.olive, role=Enrolment.Role.COORDINATOR)
        self.assertEqual(self.page_for(self.olive).status_code, 404)

    def test_a_mentor_of_the_program_who_is_not_in_this_partnership_gets_not_found(self):
        omar = make_user("omar@example.org", "Omar Othermentor")
        Enrolment.objects.create(program=self.program, user=omar, role=Enrolment.Role.MENTOR)
        self.assertEqual(self.page_for(omar).status_code, 404)

    def test_a_partnership_that_does_not_exist_is_not_found(self):
        url = reverse("partnerships:detail", args=[uuid.uuid4()])
        self.assertEqual(self.page_for(self.mia, url).status_code, 404)

    def test_an_address_that_is_not_a_uuid_is_not_found(self):
        self.assertEqual(self.page_for(self.mia, "/partnerships/12/").status_code, 404)

    def test_it_asks_an_anonymous_visitor_to_sign_in(self):
        response = self.client.get(self.url)
        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={self.url}", fetch_redirect_response=False
        )

    def test_it_refuses_post(self):
        self.sign_in(self.mia)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_the_timeline_lists_the_events_in_order_with_who_and_when(self):
        with time_machine.travel(datetime(2027, 2, 1, 10, 15, tzinfo=UTC), tick=False):
            change_status(partnership=self.partnership, to_status="active", actor=self.mia)
        with time_machine.travel(datetime(2027, 5, 3, 16, 0, tzinfo=UTC), tick=False):
            change_status(partnership=self.partnership, to_status="concluded", actor=self.theo)

        response = self.page_for(self.theo)
        content = response.content.decode()
        created = content.index("Partnership created: Drafting agreement")
        activated = content.index("Status changed: Agreement in effect")
        concluded = content.index("Status changed: Concluded")
        self.assertLess(created, activated)
        self.assertLess(activated, concluded)
        self.assertContains(response, "by Cora Coordinator")
        self.assertContains(
            response, '<time datetime="2027-02-01T10:15:00+00:00">1 Feb 2027, 10:15'
        )
        self.assertContains(response, "by Mia Mentor")
        self.assertContains(response, "by Theo Mentee")

    def test_its_query_count_does_not_grow_with_the_events(self):
        self.sign_in(self.mia)
        # Session, user, partnership (with program and people); then the progress summary, due next
        # and the merged timeline (progress/selectors.py): the agreement in effect, the latest
        # agreement, the meetings (read once: the timeline, the contact figures and the meetings
        # section all use them), closing reviews, the program's template choice (no agreement yet:
        # the rules and the meetings' terms, one query also when it has none), her feedback, and
        # the timeline's events from the audit trail in one query. No plan yet, so no plan
        # queries. The agreement section reuses progress's latest agreement and version in effect
        # (it read them again before issue 18). Her next program events
        # (events.selectors.upcoming_for) in one. For due next, the partners' required program
        # events in one and the program's open evaluations in one (none open, so no answers or first
        # meeting are read). Issue 18: was 18.
        with self.assertNumQueries(13):
            self.client.get(self.url)
        change_status(partnership=self.partnership, to_status="active", actor=self.mia)
        change_status(partnership=self.partnership, to_status="concluded", actor=self.theo)
        with self.assertNumQueries(13):
            self.client.get(self.url)
