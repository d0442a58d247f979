from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "mentorpact.outbox"
    label = "outbox"
