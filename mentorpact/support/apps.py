from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "mentorpact.support"
    label = "support"
