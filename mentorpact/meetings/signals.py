"""What meetings asks of the layers above it.

A person's calendar feed (meetings.views.feed) carries their meetings and whatever the apps
above add: events sits above meetings (docs/architecture.md), so meetings cannot read its
invitations; events connects to `feed_entries` (events.apps) and returns its own entries.
The same arrangement as accounts.signals."""

from django.dispatch import Signal

# Asked with user= (the feed's owner): each receiver returns a list of icalendar.Event
# components for that person's feed (events.apps: the program events they are invited to).
feed_entries = Signal()
