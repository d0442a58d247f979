from mentorpact.agreement_templates.models import (
    AgreementTemplate,
    ProgramTemplate,
    TemplateVersion,
)
from mentorpact.lib.admin import register

register(
    AgreementTemplate,
    list_display=("slug", "title", "is_builtin", "owner_program", "created_at"),
    search_fields=("slug", "title"),
)
register(TemplateVersion, list_display=("template", "number", "created_by", "created_at"))
register(ProgramTemplate, list_display=("program", "template", "chosen_at"))
