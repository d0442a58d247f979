from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class MentorpactAdminConfig(AdminConfig):
    """Django's admin with our site as `admin.site` (Django's "overriding the default admin
    site"), so every `admin.register` lands on it."""

    default_site = "mentorpact.admin_site.MentorpactAdminSite"


class MentorpactConfig(AppConfig):
    """The project package as an app: its system checks and project-wide commands."""

    name = "mentorpact"
    verbose_name = "Mentorpact"

    def ready(self) -> None:
        from mentorpact import checks  # noqa: F401  (registers the system checks)
