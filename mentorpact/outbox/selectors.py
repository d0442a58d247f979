"""Reads of the outbox. Access is the caller's: the program's pages check the coordinator
first (programs.selectors.get_program_for_coordinator) and pass the program's id."""

from django.db.models import QuerySet

from mentorpact.outbox.models import Email

# What a coordinator may see of a row: dates, recipient, kind, status; never subject or body.
_SHOWN = (
    "id",
    "public_id",
    "kind",
    "to",
    "created_at",
    "due_at",
    "attempts",
    "sent_at",
    "failed_at",
    "gave_up_at",
    "partnership_id",
)


def program_deliveries(program_id: int, *, limit: int = 200) -> QuerySet[Email]:
    """The program's emails not sent yet (given up first), then the latest sent ones."""
    return (
        Email.objects.filter(program_id=program_id)
        .only(*_SHOWN)
        .order_by("sent_at", "-gave_up_at", "-created_at", "-id")[:limit]
    )


def given_up_count(program_id: int) -> int:
    return Email.objects.filter(program_id=program_id, gave_up_at__isnull=False).count()


def get_given_up(program_id: int, public_id) -> Email | None:
    """The program's email `public_id` if the sender gave up on it (and it is still unsent)."""
    return Email.objects.filter(
        program_id=program_id, public_id=public_id, gave_up_at__isnull=False, sent_at__isnull=True
    ).first()
