"""Reading the audit trail."""

from django.db import models
from django.db.models import QuerySet

from mentorpact.audit.models import Event


def history_of(obj: models.Model) -> QuerySet[Event]:
    """Everything recorded about one object, oldest first (index audit_object_history)."""
    return Event.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk).order_by(
        "at", "id"
    )


def partnership_events(partnership_id: int) -> QuerySet[Event]:
    """Everything recorded about one partnership and what belongs to it, oldest first
    (index audit_partnership_timeline)."""
    return Event.objects.filter(partnership_id=partnership_id).order_by("at", "id")
