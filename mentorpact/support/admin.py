from mentorpact.lib.admin import register
from mentorpact.support.models import HelpMessage, HelpRequest

# What was written (message, body) is encrypted and never shown.
register(
    HelpRequest,
    list_display=("partnership", "kind", "requester_role", "status", "outcome", "created_at"),
    list_filter=("kind", "status", "outcome"),
)
register(HelpMessage, list_display=("request", "from_program", "created_at"))
