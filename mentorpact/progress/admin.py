from django.contrib import admin

from mentorpact.lib.admin import SupportAdmin, register
from mentorpact.progress.models import (
    ActionPlan,
    ClosingReview,
    Commitment,
    DueEntry,
    MidpointReview,
    PlanItem,
    Reminder,
    ThankYouNote,
)


@admin.register(Reminder)
class ReminderAdmin(SupportAdmin):
    """Due work, to see what was sent, what failed, and what a stopped worker left claimed."""

    list_display = ("kind", "recipient", "due_at", "sent_at", "failed_at", "attempts", "claimed_by")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "dedupe_key")


@admin.register(DueEntry)
class DueEntryAdmin(SupportAdmin):
    """What each partnership owes and when, as the reminders and the overview read it."""

    list_display = ("partnership", "kind", "due_on", "overdue_on", "remind_at", "done_at")
    list_filter = ("kind",)
    search_fields = ("key",)


# The partners' words (goals, notes, answers, learning, thank-you notes) are never shown.
register(ActionPlan, list_display=("partnership", "created_at", "completed_at"))
register(
    PlanItem,
    list_display=("plan", "position", "owner", "due_on", "status"),
    hidden=("goal", "measure", "action_steps", "progress_note", "owner_name"),
)
register(Commitment, list_display=("plan", "position", "done_at"), hidden=("opportunity", "venue"))
register(
    MidpointReview,
    list_display=("partnership", "role", "submitted_at", "change_course"),
    hidden=("answers", "overall", "change_note"),
)
register(
    ClosingReview,
    list_display=("partnership", "decision", "created_at", "decided_at"),
    hidden=("outcomes", "mentor_learning", "mentee_learning"),
)
register(
    ThankYouNote, list_display=("partnership", "author", "sent_at"), hidden=("subject", "body")
)
