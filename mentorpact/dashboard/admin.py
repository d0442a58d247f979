from mentorpact.dashboard.models import AgreementsZip
from mentorpact.lib.admin import register

register(
    AgreementsZip,
    list_display=("program", "requested_by", "status", "done", "total", "created_at"),
    hidden=("file_name",),
)
