from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "mentorpact.dashboard"
    label = "dashboard"
