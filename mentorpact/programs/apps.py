from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "mentorpact.programs"
    label = "programs"
