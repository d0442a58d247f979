from mentorpact.dashboard.models import AgreementsZip, PairFacts
from mentorpact.lib.admin import register

register(
    AgreementsZip,
    list_display=("program", "requested_by", "status", "done", "total", "created_at"),
    hidden=("file_name",),
)
register(PairFacts, list_display=("partnership", "program", "status", "paired_on", "updated_at"))
