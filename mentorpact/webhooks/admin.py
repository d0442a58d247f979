from mentorpact.lib.admin import register
from mentorpact.webhooks.models import Delivery, Endpoint

register(Endpoint, list_display=("program", "url", "created_at", "removed_at"), hidden=("secret",))
register(
    Delivery,
    list_display=("created_at", "event", "endpoint", "attempts", "sent_at", "gave_up_at"),
    list_filter=("event",),
)
