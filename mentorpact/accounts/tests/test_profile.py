from datetime import UTC, datetime

from django.urls import reverse
from django.utils import timezone

from mentorpact.lib import zones
from mentorpact.test import BaseTestCase

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


class ProfileTestCase(BaseTestCase):
    url = reverse("accounts:profile")

    def data(self, **changes) -> dict:
        return {
            "full_name": "Theo Mentee",
            "preferred_name": "Teddy",
            "department": "History",
            "time_zone": "Europe/Berlin",
        } | changes

    def test_a_person_edits_their_own_details(self):
        self.sign_in(self.theo)
        response = self.client.post(self.url, self.data())
        self.assertRedirects(response, self.url)
        self.theo.refresh_from_db()
        self.assertEqual(
            (self.theo.preferred_name, self.theo.department, self.theo.time_zone),
            ("Teddy", "History", "Europe/Berlin"),
        )
        self.assertTrue(self.theo.time_zone_chosen)

    def test_errors_are_beside_the_field_and_what_was_typed_is_kept(self):
        self.sign_in(self.theo)
        response = self.client.post(self.url, self.data(full_name="", time_zone="Mars/Olympus"))
        self.assertEqual(response.status_code, 400)
        content = response.content.decode()
        self.assertIn('id="id_full_name_error"', content)
        self.assertIn("Choose a time zone from the list.", content)
        self.assertIn('value="Teddy"', content)
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.preferred_name, "")

    def test_the_time_zone_list_is_grouped_by_region_not_every_zoneinfo_name(self):
        self.sign_in(self.theo)
        content = self.client.get(self.url).content.decode()
        self.assertIn('<optgroup label="Europe">', content)
        self.assertIn("Berlin — Germany", content)
        self.assertNotIn('value="US/Eastern"', content)
        self.assertLess(content.count("<option"), 450)
        self.assertGreater(len(zones.zone_names()), 400)

    def test_until_a_zone_is_chosen_the_browsers_zone_is_offered(self):
        self.sign_in(self.theo)
        self.assertContains(self.client.get(self.url), 'data-browser-zone="preselect"')
        self.client.post(self.url, self.data())
        self.assertNotContains(self.client.get(self.url), 'data-browser-zone="preselect"')

    def test_a_zone_chosen_before_outside_the_list_is_kept(self):
        self.theo.time_zone = "US/Eastern"
        self.theo.save()
        self.sign_in(self.theo)
        self.assertContains(self.client.get(self.url), '<option value="US/Eastern" selected>')
        response = self.client.post(self.url, self.data(time_zone="US/Eastern"))
        self.assertEqual(response.status_code, 302)

    def test_partners_see_the_preferred_name_and_the_coordinator_the_full_name(self):
        self.theo.preferred_name = "Teddy"
        self.theo.save()
        url = reverse("partnerships:detail", args=[self.partnership.public_id])
        self.sign_in(self.mia)
        self.assertContains(self.client.get(url), "<dt>Mentee</dt><dd>Teddy</dd>")
        self.assertContains(self.client.get(reverse("partnerships:mine")), "Teddy</a></h2>")
        self.sign_in(self.cora)
        self.assertContains(self.client.get(url), "<dt>Mentee</dt><dd>Theo Mentee</dd>")


class ViewersTimeZoneTestCase(BaseTestCase):
    def test_times_are_shown_in_the_viewers_own_zone(self):
        seen = {}

        def view(request):
            from django.http import HttpResponse

            seen["zone"] = str(timezone.get_current_timezone())
            moment = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
            return HttpResponse(timezone.localtime(moment).strftime("%H:%M"))

        from django.test import RequestFactory

        from mentorpact.accounts.middleware import TimeZoneMiddleware

        request = RequestFactory().get("/")
        self.theo.time_zone = "Asia/Tokyo"
        request.user = self.theo
        response = TimeZoneMiddleware(view)(request)
        self.assertEqual(response.content, b"21:00")
        self.assertEqual(seen["zone"], "Asia/Tokyo")
        self.assertEqual(str(timezone.get_current_timezone()), "UTC")  # deactivated after


class SignInAdoptsTheBrowsersZoneTestCase(BaseTestCase):
    def sign_in_with(self, zone: str):
        return self.client.post(
            reverse("accounts:login"),
            {
                "username": "theo@example.org",
                "password": "mentorpact-test",
                "browser_time_zone": zone,
            },
        )

    def test_the_first_sign_in_takes_the_browsers_zone(self):
        self.assertEqual(self.sign_in_with("America/Denver").status_code, 302)
        self.theo.refresh_from_db()
        self.assertEqual(
            (self.theo.time_zone, self.theo.time_zone_chosen), ("America/Denver", True)
        )

    def test_a_chosen_zone_is_never_overwritten(self):
        self.theo.time_zone, self.theo.time_zone_chosen = "Europe/Berlin", True
        self.theo.save()
        self.sign_in_with("America/Denver")
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.time_zone, "Europe/Berlin")

    def test_a_made_up_zone_is_ignored(self):
        self.sign_in_with("Mars/Olympus")
        self.theo.refresh_from_db()
        self.assertEqual((self.theo.time_zone, self.theo.time_zone_chosen), ("UTC", False))
