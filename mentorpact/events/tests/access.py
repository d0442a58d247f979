"""Objects the access matrix probes the events URLs with: a networking function in the
persona program, tomorrow, inviting mentors and mentees (Mia and Theo). Made once per test
case."""

from datetime import timedelta

from django.utils import timezone

from mentorpact.events import services
from mentorpact.events.models import ProgramEvent


def networking(t) -> ProgramEvent:
    if not hasattr(t, "events_event"):
        starts = timezone.now() + timedelta(days=2)
        t.events_event = services.create_event(
            program=t.program,
            actor=t.cora,
            details=services.EventDetails(
                title="Networking function",
                description="Drinks and introductions.",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                time_zone="UTC",
                place="The Research Office, room 2",
                capacity=None,
                invited_roles=["mentor", "mentee"],
                required=False,
            ),
        )
    return t.events_event


def event_kwargs(t) -> dict:
    return {"event_id": networking(t).public_id}
