from mentorpact.lib.admin import register
from mentorpact.programs.models import Enrolment, Program

register(
    Program,
    list_display=("name", "sponsor", "kickoff_date", "agreement_due_date", "archived_at"),
    search_fields=("name", "sponsor"),
)
register(
    Enrolment,
    list_display=("user", "role", "program", "capacity", "created_at"),
    search_fields=("user__email", "user__full_name", "program__name"),
    list_filter=("role",),
)
