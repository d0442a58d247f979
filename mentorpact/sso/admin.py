from mentorpact.lib.admin import register
from mentorpact.sso.models import Domain, Identity, Provider

register(
    Provider,
    list_display=("name", "issuer", "client_id", "secret_variable", "enabled", "updated_at"),
)
register(Domain, list_display=("domain", "provider", "sso_only"), search_fields=("domain",))
register(
    Identity,
    list_display=("user", "provider", "created_at", "last_used_at"),
    search_fields=("user__email",),
)
