from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "mentorpact.webhooks"
    label = "webhooks"
