from mentorpact.lib.admin import register
from mentorpact.matching.models import MatchRun, PairRule, Preference, Profile, Questionnaire

register(Questionnaire, list_display=("program", "updated_at", "updated_by"))
register(Profile, list_display=("user", "role", "program", "completed_at"), hidden=("answers",))
register(Preference, list_display=("program", "mentee", "mentor", "place"))
register(PairRule, list_display=("program", "mentor", "mentee", "kind", "created_at"))
register(
    MatchRun,
    list_display=("program", "created_at", "created_by", "published_at"),
    hidden=("inputs", "result"),
)
