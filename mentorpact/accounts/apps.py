from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mentorpact.accounts"
    label = "accounts"
