"""The program overview dates its times in the viewer's own zone (accounts'
TimeZoneMiddleware). Moved from accounts/tests/test_profile.py: it reads a workspace page and
partnerships, both above accounts."""

from datetime import UTC, datetime

from django.urls import reverse

from mentorpact.partnerships.models import Partnership
from mentorpact.test import BaseTestCase


class OverviewInTheViewersZoneTestCase(BaseTestCase):
    def test_a_page_dates_its_times_in_the_viewers_zone(self):
        # 23:30 UTC on 14 January is already 15 January in Tokyo.
        Partnership.objects.filter(pk=self.partnership.pk).update(
            status_changed_at=datetime(2027, 1, 14, 23, 30, tzinfo=UTC)
        )
        url = reverse("programs:overview", args=[self.program.public_id])
        self.sign_in(self.cora)
        self.assertContains(self.client.get(url), "14 Jan 2027")
        self.cora.time_zone = "Asia/Tokyo"
        self.cora.save()
        self.assertContains(self.client.get(url), "15 Jan 2027")
