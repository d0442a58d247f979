from mentorpact.agreement_templates.models import AgreementTemplate, TemplateVersion
from mentorpact.lib.admin import register

register(
    AgreementTemplate,
    list_display=("slug", "title", "is_builtin", "owner_program", "created_at"),
    search_fields=("slug", "title"),
)
register(TemplateVersion, list_display=("template", "number", "created_by", "created_at"))
