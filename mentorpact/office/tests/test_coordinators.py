from django.urls import reverse

from mentorpact.office.tests.base import OfficeTestCase
from mentorpact.programs.models import Enrolment


class CoordinatorsTestCase(OfficeTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.add_url = reverse("office:add_coordinator", args=[self.program.public_id])
        self.settings_url = reverse("office:settings", args=[self.program.public_id])

    def remove_url(self, user) -> str:
        return reverse("office:remove_coordinator", args=[self.program.public_id, user.public_id])

    def coordinators(self) -> list[str]:
        return sorted(
            self.program.enrolments.filter(role="coordinator").values_list("user__email", flat=True)
        )

    def test_a_coordinator_adds_another_by_email(self):
        self.sign_in(self.cora)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.add_url, {"email": "ned@example.org", "full_name": "Ned"}
            )
        self.assertRedirects(response, self.settings_url)
        self.assertEqual(self.coordinators(), ["cora@example.org", "ned@example.org"])
        self.assertEqual(self.sent_to(), ["ned@example.org"])
        self.assertContains(self.client.get(self.settings_url), "invited, not joined yet")

    def test_a_mentor_of_the_program_cannot_also_be_made_its_coordinator(self):
        self.sign_in(self.cora)
        response = self.client.post(self.add_url, {"email": "mia@example.org"})
        self.assertContains(response, "already enrolled", status_code=400)
        self.assertEqual(self.coordinators(), ["cora@example.org"])

    def test_the_last_coordinator_cannot_be_removed(self):
        self.sign_in(self.cora)
        response = self.client.post(self.remove_url(self.cora), follow=True)
        self.assertContains(response, "needs at least one coordinator")
        self.assertEqual(self.coordinators(), ["cora@example.org"])

    def test_a_coordinator_is_removed_when_another_remains(self):
        Enrolment.objects.create(program=self.program, user=self.carl, role="coordinator")
        self.sign_in(self.ada)
        self.assertRedirects(self.client.post(self.remove_url(self.carl)), self.settings_url)
        self.assertEqual(self.coordinators(), ["cora@example.org"])
        self.assertEqual(self.events(), ["coordinator_removed"])

    def test_a_site_administrator_appoints_a_coordinator(self):
        self.sign_in(self.ada)
        self.client.post(self.add_url, {"email": "carl@example.org"})
        self.assertEqual(self.coordinators(), ["carl@example.org", "cora@example.org"])
        self.assertEqual(self.events(), ["enrolled"])

    def test_others_are_refused(self):
        for person, status in ((self.carl, 404), (self.olive, 404), (self.mia, 403)):
            self.sign_in(person)
            response = self.client.post(self.add_url, {"email": "x@example.org", "full_name": "X"})
            self.assertEqual(response.status_code, status)
            self.assertEqual(self.client.post(self.remove_url(self.cora)).status_code, status)
        self.assertEqual(self.coordinators(), ["cora@example.org"])

    def test_get_is_refused(self):
        self.sign_in(self.cora)
        self.assertEqual(self.client.get(self.add_url).status_code, 405)
