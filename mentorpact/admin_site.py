"""The admin site: for superusers only; staff status alone is not enough."""

from django.contrib import admin
from django.http import HttpRequest


class MentorpactAdminSite(admin.AdminSite):
    site_header = "Mentorpact administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser
