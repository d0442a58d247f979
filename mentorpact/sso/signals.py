"""What sso tells the apps above it (it imports none of them).

`linked` is sent at a person's first sign-in through a provider, the moment their account
is linked to the provider's subject, inside `services.sign_in`'s transaction: office
accepts the person's pending invitations then (office/apps.py), since the institution has
just vouched for the invited address."""

from django.dispatch import Signal

# sender: Identity; user: accounts.User; provider: Provider; now: datetime
linked = Signal()
