from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "mentorpact.events"
    label = "events"
