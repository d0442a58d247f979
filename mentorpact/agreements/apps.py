from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "mentorpact.agreements"
    label = "agreements"
    verbose_name = "Agreements"
