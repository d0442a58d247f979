from django.apps import AppConfig


class ConfidentialityConfig(AppConfig):
    name = "mentorpact.confidentiality"
    label = "confidentiality"
