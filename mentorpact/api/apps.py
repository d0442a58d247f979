from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mentorpact.api"
    label = "api"
