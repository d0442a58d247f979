from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mentorpact.audit"
    label = "audit"
