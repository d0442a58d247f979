from mentorpact.evaluations.models import Evaluation, Response, Round
from mentorpact.lib.admin import register

register(Evaluation, list_display=("title", "program", "status", "named", "created_at"))
register(Round, list_display=("evaluation", "partnership", "key", "opens_on", "closes_on"))
# The answers are encrypted and never shown; nor is who gave them (anonymous evaluations).
register(Response, list_display=("round", "role", "submitted_at"), hidden=("answers", "respondent"))
