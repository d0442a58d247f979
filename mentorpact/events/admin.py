from mentorpact.events.models import Invitation, ProgramEvent
from mentorpact.lib.admin import register

register(ProgramEvent, list_display=("title", "program", "starts_at", "required"))
# The reason for an absence is encrypted: never shown.
register(Invitation, list_display=("event", "user", "answer", "attended"))
