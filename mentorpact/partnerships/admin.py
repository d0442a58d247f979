from mentorpact.lib.admin import register
from mentorpact.partnerships.models import Partnership

register(
    Partnership,
    list_display=("mentor", "mentee", "program", "status", "created_at"),
    search_fields=("mentor__email", "mentee__email", "program__name", "public_id"),
    list_filter=("status",),
)
