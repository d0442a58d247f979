from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "mentorpact.matching"
    label = "matching"
