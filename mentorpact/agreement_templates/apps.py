from django.apps import AppConfig


class AgreementTemplatesConfig(AppConfig):
    name = "mentorpact.agreement_templates"
    label = "agreement_templates"
    verbose_name = "Agreement templates"
