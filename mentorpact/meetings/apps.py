from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "mentorpact.meetings"
    label = "meetings"

    def ready(self) -> None:
        from mentorpact.meetings import checks  # noqa: F401  (registers the system checks)
