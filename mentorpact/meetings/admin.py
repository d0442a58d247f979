from mentorpact.lib.admin import register
from mentorpact.meetings.models import CalendarFeed, Feedback, Meeting, MeetingReason, Note

# Agendas, topics, reasons, notes and feedback are encrypted `*_token` fields: never shown;
# nor where the partners meet.
register(
    Meeting,
    list_display=("partnership", "starts_at", "status", "off_platform"),
    hidden=("place",),
)
# The reason itself (reason_token) is hidden, as every encrypted column is.
register(MeetingReason, list_display=("event",))
register(Note, list_display=("partnership", "author", "visibility", "created_at"))
register(Feedback, list_display=("meeting", "author", "role", "created_at"))
register(CalendarFeed, list_display=("user", "created_at", "revoked_at"), hidden=("token_sha256",))
