from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "mentorpact.agreements"
    label = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        from mentorpact.agreements import checks  # noqa: F401  (registers the system checks)
