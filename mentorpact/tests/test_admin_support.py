"""Django admin for support: every model registered, view-only, partners' words left out."""

from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from mentorpact.accounts.models import Throttle, User
from mentorpact.agreements.tests.access import agreement_kwargs
from mentorpact.meetings.tests.access import theos_shared_note
from mentorpact.test import PASSWORD, BaseTestCase

# Written by hand, editable: support switches accounts off and clears sign-in pauses.
EDITABLE = {User, Throttle}


class AdminSupportTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.root = User.objects.create_superuser("root@example.org", PASSWORD, full_name="Root")
        self.sign_in(self.root)

    def ours(self):
        return [m for m in apps.get_models() if m.__module__.startswith("mentorpact.")]

    def test_every_model_is_registered(self):
        missing = [m.__name__ for m in self.ours() if not admin.site.is_registered(m)]
        self.assertEqual(missing, [])

    def test_every_list_and_row_opens_for_a_superuser(self):
        agreement_kwargs(self)  # a drafted agreement, its version and events
        theos_shared_note(self)
        for model in self.ours():
            name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            response = self.client.get(reverse(name + "_changelist"))
            self.assertEqual(response.status_code, 200, model)
            row = model.objects.first()
            if row is not None:
                response = self.client.get(reverse(name + "_change", args=[row.pk]))
                self.assertEqual(response.status_code, 200, model)

    def test_records_are_view_only(self):
        request = self.client.get("/").wsgi_request
        request.user = self.root
        for model in self.ours():
            if model in EDITABLE:
                continue
            model_admin = admin.site._registry[model]
            self.assertFalse(model_admin.has_add_permission(request), model)
            self.assertFalse(model_admin.has_change_permission(request), model)
            self.assertFalse(model_admin.has_delete_permission(request), model)

    def test_a_note_and_an_agreements_content_are_not_shown(self):
        note = theos_shared_note(self)
        response = self.client.get(reverse("admin:meetings_note_change", args=[note.pk]))
        self.assertNotContains(response, "A shared note")
        self.assertNotContains(response, note.body_token)
        agreement_kwargs(self)
        version = self.agreements_partnership.agreements.get().versions.get()
        version.content = {"goals": "Confidential goal text"}
        version.save()
        response = self.client.get(
            reverse("admin:agreements_agreementversion_change", args=[version.pk])
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Confidential goal text")
