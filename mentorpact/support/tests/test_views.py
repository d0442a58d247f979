"""The help pages: the partner's form, the request's page, the coordinators' queue."""

from django.urls import reverse

from mentorpact.outbox.models import Email
from mentorpact.support import services
from mentorpact.support.models import HelpRequest
from mentorpact.test import BaseTestCase, events_of, kinds

SECRET = "CANARY-support-view I feel unheard."


class AskPageTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("support:ask", args=[self.partnership.public_id])

    def test_the_partnership_page_links_to_it_for_partners_only(self):
        detail = reverse("partnerships:detail", args=[self.partnership.public_id])
        self.sign_in(self.theo)
        self.assertContains(self.client.get(detail), self.url)
        self.sign_in(self.cora)
        self.assertNotContains(self.client.get(detail), self.url)

    def test_theo_raises_a_concern_and_lands_on_its_page(self):
        self.sign_in(self.theo)

        response = self.client.post(
            self.url, {"kind": "concern", "message": SECRET, "partner_may_know": "on"}
        )

        request = HelpRequest.objects.get()
        self.assertRedirects(response, reverse("support:request", args=[request.public_id]))
        self.assertEqual(request.message, SECRET)
        self.assertTrue(request.partner_may_know)
        self.assertEqual(kinds(events_of(request, "support")), ["raised"])
        self.assertEqual(Email.objects.filter(kind="support-raised").count(), 1)

    def test_errors_are_shown_beside_their_fields_and_the_message_is_kept(self):
        self.sign_in(self.theo)

        response = self.client.post(self.url, {"message": SECRET})

        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose what you are asking for.", status_code=400)
        self.assertContains(response, "I feel unheard.", status_code=400)
        self.assertFalse(HelpRequest.objects.exists())

    def test_a_message_too_long_is_refused_not_a_500(self):
        self.sign_in(self.theo)

        response = self.client.post(self.url, {"kind": "concern", "message": "x" * 6000})

        self.assertEqual(response.status_code, 400)
        self.assertFalse(HelpRequest.objects.exists())

    def test_theo_sees_his_own_requests_but_mia_does_not(self):
        request = services.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind="intervention",
            message=SECRET,
            partner_may_know=False,
        )
        link = reverse("support:request", args=[request.public_id])
        self.sign_in(self.theo)
        self.assertContains(self.client.get(self.url), link)
        self.sign_in(self.mia)
        self.assertNotContains(self.client.get(self.url), link)


class RequestPageTest(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.request = services.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind="concern",
            message=SECRET,
            partner_may_know=False,
        )
        self.url = reverse("support:request", args=[self.request.public_id])
        self.close_url = reverse("support:close", args=[self.request.public_id])

    def test_cora_reads_it_replies_and_closes_it(self):
        self.sign_in(self.cora)
        self.assertContains(self.client.get(self.url), "I feel unheard.")

        response = self.client.post(self.url, {"body": "Shall we meet on Monday?"})
        self.assertRedirects(response, self.url + "#thread", fetch_redirect_response=False)
        response = self.client.post(self.close_url, {"outcome": "mediated"})
        self.assertRedirects(response, self.url)

        self.request.refresh_from_db()
        self.assertEqual(self.request.outcome, "mediated")
        self.assertEqual(kinds(events_of(self.request, "support")), ["raised", "replied", "closed"])
        self.sign_in(self.theo)
        page = self.client.get(self.url)
        self.assertContains(page, "Shall we meet on Monday?")
        self.assertContains(page, "Closed: mediated")

    def test_mia_the_other_partner_is_not_told_it_exists(self):
        self.sign_in(self.mia)

        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_closing_without_an_outcome_says_so_beside_the_field(self):
        self.sign_in(self.cora)

        response = self.client.post(self.close_url, {})

        self.assertContains(response, "Choose the outcome.", status_code=400)

    def test_theo_may_not_close_it(self):
        self.sign_in(self.theo)

        response = self.client.post(self.close_url, {"outcome": "resolved"})

        self.assertEqual(response.status_code, 403)

    def test_an_empty_reply_is_refused_with_its_error(self):
        self.sign_in(self.cora)

        response = self.client.post(self.url, {"body": ""})

        self.assertContains(response, "Write a few words first.", status_code=400)


class QueueTest(BaseTestCase):
    def test_it_lists_requests_with_metadata_and_never_the_message(self):
        for n in range(3):
            services.raise_request(
                partnership=self.partnership,
                user=self.theo,
                kind="concern",
                message=f"{SECRET} {n}",
                partner_may_know=False,
            )
        self.sign_in(self.cora)
        url = reverse("support:queue", args=[self.program.public_id])

        # Issue 18: was 6 (the access check and the program are one query now).
        with self.assertNumQueries(5):
            response = self.client.get(url)

        self.assertContains(response, "Theo Mentee (mentee)", count=3)
        self.assertNotContains(response, "CANARY-support-view")

    def test_the_overview_shows_how_many_are_open(self):
        services.raise_request(
            partnership=self.partnership,
            user=self.theo,
            kind="concern",
            message=SECRET,
            partner_may_know=False,
        )
        self.sign_in(self.cora)

        response = self.client.get(reverse("programs:overview", args=[self.program.public_id]))

        self.assertContains(response, "1 open")
