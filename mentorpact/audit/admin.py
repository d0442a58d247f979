from mentorpact.audit.models import ChainHead, Event
from mentorpact.lib.admin import register

# View-only, like every support admin; what partners wrote is never in an event's details.
register(
    Event,
    list_display=("at", "action", "actor", "ip", "object_type", "object_id", "partnership_id"),
    search_fields=("action", "actor__email", "ip"),
    list_filter=("action",),
)
register(ChainHead, list_display=("seq", "hash"))
