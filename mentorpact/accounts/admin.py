from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mentorpact.accounts.models import AccessToken, Throttle, User
from mentorpact.lib.admin import register


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "time_zone"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    filter_horizontal = ["groups"]


@admin.register(Throttle)
class ThrottleAdmin(admin.ModelAdmin):
    list_display = ["scope", "key", "failures", "strikes", "locked_until", "last_failure_at"]
    list_filter = ["scope"]
    search_fields = ["key"]


register(
    AccessToken,
    list_display=("user", "name", "scope", "prefix", "created_at", "last_used_at", "revoked_at"),
    hidden=("digest",),
)
