from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "mentorpact.partnerships"
    label = "partnerships"
