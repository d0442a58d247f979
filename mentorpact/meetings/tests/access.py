"""Objects the access matrix (mentorpact/tests/test_access_matrix.py) probes the meetings URLs
with: a scheduled meeting, a held one, Theo's shared note, Theo's calendar feed token. Each
is made once per test case, or set on it beforehand (the canary test sets the objects it
planted its canary in)."""

from datetime import timedelta

from django.utils import timezone

from mentorpact.meetings import services
from mentorpact.meetings.models import Meeting, Note
from mentorpact.meetings.selectors import meeting_terms


def _first_mode(t) -> str:
    return meeting_terms(t.partnership).mode_choices()[0][0]


def _once(t, name: str, make):
    if not hasattr(t, name):
        setattr(t, name, make())
    return getattr(t, name)


def scheduled_meeting(t) -> Meeting:
    return _once(
        t,
        "meetings_scheduled",
        lambda: services.schedule_meeting(
            partnership=t.partnership,
            user=t.theo,
            starts_at=timezone.now() + timedelta(days=1),
            time_zone="UTC",
            duration_minutes=60,
            mode=_first_mode(t),
        ),
    )


def held_meeting(t) -> Meeting:
    return _once(
        t,
        "meetings_held",
        lambda: services.record_past_meeting(
            partnership=t.partnership,
            user=t.theo,
            starts_at=timezone.now() - timedelta(days=1),
            time_zone="UTC",
            held_minutes=45,
            mode=_first_mode(t),
        ),
    )


def theos_shared_note(t) -> Note:
    return _once(
        t,
        "meetings_note",
        lambda: services.add_note(
            partnership=t.partnership, user=t.theo, body="A shared note", visibility="shared"
        ),
    )


def theos_feed_token(t) -> str:
    return _once(t, "meetings_feed_token", lambda: services.create_calendar_feed(user=t.theo))


def meeting_kwargs(make):
    return lambda t: {"code": t.partnership.public_id, "meeting_id": make(t).public_id}
