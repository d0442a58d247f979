from django.apps import AppConfig


class PairingConfig(AppConfig):
    name = "mentorpact.pairing"
    label = "pairing"
