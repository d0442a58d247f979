from django.urls import reverse

from mentorpact.audit.models import Event
from mentorpact.test import BaseTestCase


class AccessDeniedTest(BaseTestCase):
    def denials(self):
        return Event.objects.filter(action="access.denied")

    def test_an_outsider_refused_a_partnership_is_recorded_with_its_id_and_address(self):
        self.sign_in(self.olive)

        response = self.client.get(
            reverse("partnerships:detail", args=[self.partnership.public_id]),
            REMOTE_ADDR="198.51.100.7",
        )

        self.assertEqual(response.status_code, 404)
        event = self.denials().get()
        self.assertEqual((event.actor, event.ip), (self.olive, "198.51.100.7"))
        self.assertEqual(
            event.details,
            {
                "status": 404,
                "method": "GET",
                "view": "partnerships:detail",
                "ids": {"code": str(self.partnership.public_id)},
            },
        )

    def test_a_coordinator_refused_partner_only_content_is_recorded_as_403(self):
        self.sign_in(self.cora)

        response = self.client.get(reverse("agreements:history", args=[self.partnership.public_id]))

        self.assertEqual(response.status_code, 403)
        event = self.denials().get()
        self.assertEqual((event.actor, event.details["status"]), (self.cora, 403))
        self.assertEqual(event.details["view"], "agreements:history")

    def test_a_calendar_feed_token_is_never_recorded(self):
        response = self.client.get(reverse("meetings:feed", args=["not-a-real-token"]))

        self.assertEqual(response.status_code, 404)
        event = self.denials().get()
        self.assertIsNone(event.actor)
        self.assertEqual(event.details["ids"], {})
        self.assertNotIn("not-a-real-token", str(event.details))

    def test_a_page_seen_is_not_a_denial(self):
        self.sign_in(self.mia)

        self.client.get(reverse("partnerships:detail", args=[self.partnership.public_id]))

        self.assertFalse(self.denials().exists())
