"""The API's lists read in a constant number of queries, whatever the program's size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorpact.accounts import services as account_services
from mentorpact.events.tests.access import networking
from mentorpact.test import BaseTestCase

LISTS = ("roster", "invitations", "pairings", "partnerships", "events")


class ListQueriesTest(BaseTestCase):
    def queries(self, token: str) -> dict[str, int]:
        counts = {}
        for name in LISTS:
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(
                    f"/api/v1/programs/{self.program.public_id}/{name}",
                    headers={"Authorization": f"Bearer {token}"},
                )
            self.assertEqual(response.status_code, 200, name)
            counts[name] = len(captured)
        return counts

    def test_more_people_and_partnerships_cost_no_more_queries(self):
        _row, token = account_services.create_access_token(
            user=self.cora, name="Reports", scope="read"
        )
        networking(self)
        self.queries(token)  # the first request of a test sets up what every later one reuses
        small = self.queries(token)

        self.add_mentees(6)
        del self.events_event
        networking(self)
        large = self.queries(token)

        self.assertEqual(large, small)
