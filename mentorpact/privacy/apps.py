from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A person's rights over their own data: download all of it, delete the account. Top
    layer, beside workspace: the download gathers what every app holds about the person."""

    name = "mentorpact.privacy"
    label = "privacy"
