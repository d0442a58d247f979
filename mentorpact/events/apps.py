from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "mentorpact.events"
    label = "events"

    def ready(self) -> None:
        # A person's calendar feed (meetings) carries the events they are invited to.
        from mentorpact.events import ical
        from mentorpact.meetings.signals import feed_entries

        def entries(sender, user, **kwargs):
            return ical.feed_entries(user)

        feed_entries.connect(entries, weak=False, dispatch_uid="events.feed_entries")
