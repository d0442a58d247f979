from django.contrib import admin, messages

from mentorpact.lib.admin import SupportAdmin
from mentorpact.outbox import services
from mentorpact.outbox.models import Email


@admin.register(Email)
class EmailAdmin(SupportAdmin):
    """View-only like every support admin, without the bodies (they may carry a partner's
    words), plus one action: retry an email the sender gave up on (audited by the service)."""

    hidden = ("body", "html")
    list_display = ("created_at", "kind", "to", "status", "attempts", "sent_at", "gave_up_at")
    list_filter = ("kind",)
    search_fields = ("to", "message_id", "key")
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description="Retry the selected emails given up on", permissions=["retry"])
    def retry(self, request, queryset) -> None:
        retried = 0
        for email in queryset.filter(gave_up_at__isnull=False, sent_at__isnull=True):
            services.retry_email(email=email, actor=request.user)
            retried += 1
        self.message_user(request, f"{retried} email(s) queued to be sent again.", messages.INFO)
