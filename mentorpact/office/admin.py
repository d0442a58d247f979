from mentorpact.lib.admin import register
from mentorpact.office.models import Invitation, PeopleUpload

register(
    Invitation,
    list_display=("user", "role", "program", "sent_at", "accepted_at", "revoked_at"),
    hidden=("nonce",),
    search_fields=("user__email", "program__name"),
    list_filter=("role",),
)
register(
    PeopleUpload,
    list_display=("filename", "program", "uploaded_by", "created_at"),
    hidden=("content",),
)
