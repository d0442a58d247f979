"""Django admin for support: superusers look rows up; they change nothing here.

Changes go through the product's pages, whose services keep the invariants and write the
event rows; an admin edit would skip both. So every model is registered view-only, except
the few whose admin is written by hand (people, sign-in throttles). Partners' own words
(agreement content, notes, feedback, plans, reviews, anything stored encrypted as a
`*_token` or in an encrypted field) are left out: support sees who, what kind, when and
which state, never what was written.
"""

from collections.abc import Sequence

from django.contrib import admin
from django.db import models

from mentorpact.lib import crypto


class SupportAdmin(admin.ModelAdmin):
    hidden: Sequence[str] = ()

    def get_exclude(self, request, obj=None):
        encrypted = [
            f.name
            for f in self.model._meta.fields
            if f.name.endswith("_token") or isinstance(f, crypto.ENCRYPTED_FIELDS)
        ]
        return [*self.hidden, *encrypted]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def register(
    model: type[models.Model],
    *,
    list_display: Sequence[str] = ("__str__",),
    hidden: Sequence[str] = (),
    search_fields: Sequence[str] = (),
    list_filter: Sequence[str] = (),
) -> None:
    """Register `model` view-only, without its `hidden` fields."""
    options = {
        "list_display": list(list_display),
        "hidden": tuple(hidden),
        "search_fields": list(search_fields),
        "list_filter": list(list_filter),
    }
    admin.site.register(model, type(f"{model.__name__}Admin", (SupportAdmin,), options))
