from django.test import Client
from django.urls import reverse

from mentorpact.accounts.models import User
from mentorpact.agreements.models import Signature
from mentorpact.audit.models import Event
from mentorpact.meetings.models import CalendarFeed
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.privacy import services
from mentorpact.privacy.services import DELETED_NAME
from mentorpact.programs.models import Enrolment
from mentorpact.sso.models import Identity, Provider
from mentorpact.test import PASSWORD, BaseTestCase, make_user


class DeleteAccountTestCase(BaseTestCase):
    def end_partnership(self):
        partnership_services.change_status(
            partnership=self.partnership, to_status=Partnership.Status.ENDED_EARLY, actor=self.cora
        )

    def delete(self, user, password=PASSWORD, understood="on"):
        self.sign_in(user)
        return self.client.post(
            reverse("privacy:delete"), {"password": password, "understood": understood}
        )

    def test_it_anonymises_the_person_and_signs_them_out(self):
        self.end_partnership()
        CalendarFeed.objects.create(user=self.theo, token_sha256="a" * 64)
        elsewhere = Client()
        elsewhere.force_login(self.theo)

        response = self.delete(self.theo)

        self.assertRedirects(response, reverse("privacy:deleted"))
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.full_name, DELETED_NAME)
        self.assertEqual((self.theo.preferred_name, self.theo.department), ("", ""))
        self.assertTrue(self.theo.email.endswith("@deleted.invalid"))
        self.assertFalse(self.theo.is_active)
        self.assertFalse(self.theo.has_usable_password())
        self.assertIsNotNone(self.theo.deleted_at)
        self.assertFalse(
            CalendarFeed.objects.filter(user=self.theo, revoked_at__isnull=True).exists()
        )
        # Every session ends: this one and the one on another device.
        for client in (self.client, elsewhere):
            self.assertEqual(client.get(reverse("partnerships:mine")).status_code, 302)
        self.assertTrue(
            Event.objects.filter(actor=self.theo, action="privacy.account_deleted").exists()
        )
        # Nobody can sign in with the old address any more.
        self.assertFalse(Client().login(username="theo@example.org", password=PASSWORD))

    def test_the_partner_then_sees_a_deleted_person(self):
        self.end_partnership()
        self.delete(self.theo)
        self.sign_in(self.mia)
        response = self.client.get(reverse("partnerships:mine"))
        self.assertNotContains(response, "Theo Mentee")

    def test_what_they_signed_keeps_the_name_as_signed(self):
        self.end_partnership()
        signed = Signature.objects.filter(signer=self.theo)
        names = list(signed.values_list("typed_name", flat=True))
        self.delete(self.theo)
        self.assertEqual(list(signed.values_list("typed_name", flat=True)), names)

    def test_an_open_partnership_stops_it_with_a_reason(self):
        response = self.delete(self.theo)
        self.assertEqual(response.status_code, 409)
        self.assertContains(
            response, "You are in an open partnership with Mia Mentor", status_code=409
        )
        self.theo.refresh_from_db()
        self.assertEqual(self.theo.full_name, "Theo Mentee")

    def test_the_only_coordinator_must_appoint_another_first(self):
        response = self.delete(self.cora)
        self.assertContains(
            response, "You are the only coordinator of Peer Mentoring", status_code=409
        )
        second = make_user("cleo@example.org", "Cleo C")
        Enrolment.objects.create(program=self.program, user=second, role="coordinator")
        self.assertRedirects(self.delete(self.cora), reverse("privacy:deleted"))

    def test_a_wrong_password_or_no_tick_is_refused_beside_the_field(self):
        self.end_partnership()
        response = self.delete(self.theo, password="not it", understood="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "That is not your password.", status_code=400)
        self.assertContains(response, "Tick this to confirm", status_code=400)
        self.assertTrue(User.objects.get(pk=self.theo.pk).is_active)

    def test_someone_without_a_password_confirms_with_their_address(self):
        # Signs in only through their institution (single sign-on): no password here.
        self.end_partnership()
        self.theo.set_unusable_password()
        self.theo.save()
        self.client.force_login(self.theo)
        page = self.client.get(reverse("privacy:my_data"))
        self.assertContains(page, "Your email address")
        self.assertNotContains(page, 'type="password"')
        wrong = self.client.post(
            reverse("privacy:delete"), {"email": "someone@example.org", "understood": "on"}
        )
        self.assertContains(wrong, "That is not your address.", status_code=400)
        self.assertTrue(User.objects.get(pk=self.theo.pk).is_active)
        self.client.post(
            reverse("privacy:delete"), {"email": "Theo@Example.org ", "understood": "on"}
        )
        self.assertFalse(User.objects.get(pk=self.theo.pk).is_active)

    def test_a_second_delete_changes_nothing_and_records_once(self):
        self.end_partnership()
        services.delete_account(user=self.theo)
        services.delete_account(user=User.objects.get(pk=self.theo.pk))
        self.assertEqual(
            Event.objects.filter(actor=self.theo, action="privacy.account_deleted").count(), 1
        )

    def test_get_is_refused(self):
        self.sign_in(self.theo)
        self.assertEqual(self.client.get(reverse("privacy:delete")).status_code, 405)

    def test_the_institutions_sign_in_no_longer_leads_to_the_account(self):
        provider = Provider.objects.create(
            name="Test University",
            issuer="https://login.uni.example",
            client_id="c",
            secret_variable="S",
        )
        Identity.objects.create(provider=provider, subject="theo-at-uni", user=self.theo)
        self.end_partnership()
        self.delete(self.theo)
        self.assertFalse(Identity.objects.filter(user=self.theo).exists())
