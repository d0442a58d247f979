from django.apps import AppConfig


class MentorpactConfig(AppConfig):
    """The project package as an app: its system checks and project-wide commands."""

    name = "mentorpact"
    verbose_name = "Mentorpact"

    def ready(self) -> None:
        from mentorpact import checks  # noqa: F401  (registers the system checks)
