from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "mentorpact.progress"
    label = "progress"
    verbose_name = "Progress: action plan, midpoint, closing, reminders"
