from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "mentorpact.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from mentorpact.webhooks import checks  # noqa: F401  (registers the system checks)
