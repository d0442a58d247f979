from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "mentorpact.evaluations"
    label = "evaluations"
    verbose_name = "Evaluations: the program's periodic questionnaires"
