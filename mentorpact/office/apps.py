from django.apps import AppConfig


class OfficeConfig(AppConfig):
    """The program office: what site administrators and coordinators do to run a program
    (programs, their settings and coordinators, the roster, invitations, the people import)."""

    name = "mentorpact.office"
    label = "office"
