from django.contrib import admin

from mentorpact.progress.models import Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Due work, to see what was sent, what failed, and what a stopped worker left claimed."""

    list_display = ("kind", "recipient", "due_at", "sent_at", "failed_at", "attempts", "claimed_by")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "dedupe_key")
    readonly_fields = [f.name for f in Reminder._meta.fields]
