"""Writes for partnerships. Every status change goes through here and leaves an audit event."""

import datetime
from datetime import UTC

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreement_templates.rules import effective_rules
from mentorpact.audit import services as audit
from mentorpact.partnerships import signals
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.programs.models import Enrolment, Program
from mentorpact.webhooks import services as webhooks
from mentorpact.webhooks.models import Event as WebhookEvent

# Which status may follow which. Closed partnerships stay closed: continuing means a new
# agreement inside the same partnership, not reopening a closed one.
TRANSITIONS = {
    # Undoing a pairing (pairing.services.unpair) is for a drafting pair nobody has signed for.
    Partnership.Status.DRAFTING: {
        Partnership.Status.ACTIVE,
        Partnership.Status.ENDED_EARLY,
        Partnership.Status.UNPAIRED,
    },
    Partnership.Status.ACTIVE: {Partnership.Status.CONCLUDED, Partnership.Status.ENDED_EARLY},
    Partnership.Status.CONCLUDED: set(),
    Partnership.Status.ENDED_EARLY: set(),
    Partnership.Status.UNPAIRED: set(),
}


class StaleStatus(Exception):
    """The partnership's status changed under us; nothing was written."""


def programs_due_date(program: Program) -> datetime.date | None:
    """The program's own date for signed agreements: its template's rule with the program's
    overrides (e.g. "23 February", or its `agreement_due_date`), resolved from the kick-off."""
    return effective_rules(program).due_date(program.kickoff_date)


def agreement_due_on(
    program: Program,
    *,
    paired_on: datetime.date,
    programs_date: datetime.date | None | bool = False,
) -> datetime.date:
    """A pair's own agreement deadline: the program's date or `agreement_days_after_pairing`
    after pairing, whichever is later; a program without a date gives the days after pairing.
    Pass `programs_date` (programs_due_date) when computing many at once."""
    if programs_date is False:
        programs_date = programs_due_date(program)
    fair = paired_on + datetime.timedelta(days=program.agreement_days_after_pairing)
    return max(programs_date, fair) if isinstance(programs_date, datetime.date) else fair


@transaction.atomic
def create_partnership(
    *,
    program: Program,
    mentor: User,
    mentee: User,
    actor: User | None = None,
    detail: dict | None = None,
    now: datetime.datetime | None = None,
) -> Partnership:
    """A new drafting partnership of `mentor` and `mentee`, with its own agreement due date.
    `detail` goes on the created event (non-confidential: ids, dates)."""
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentee": "A mentor cannot be their own mentee."})
    enrolled = set(
        Enrolment.objects.filter(program=program, user__in=[mentor, mentee]).values_list(
            "user_id", "role"
        )
    )
    errors = {}
    if (mentor.pk, Enrolment.Role.MENTOR) not in enrolled:
        errors["mentor"] = f"{mentor} is not a mentor in {program}."
    if (mentee.pk, Enrolment.Role.MENTEE) not in enrolled:
        errors["mentee"] = f"{mentee} is not a mentee in {program}."
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    paired_on = now.astimezone(UTC).date()
    due_on = agreement_due_on(program, paired_on=paired_on)
    partnership = Partnership(
        program=program,
        mentor=mentor,
        mentee=mentee,
        agreement_due_on=due_on,
        created_at=now,
        status_changed_at=now,
    )
    # The database checks the constraints as it saves: a pair's second open partnership, or a
    # mentee's second open mentor, is refused by partnership_one_open_per_pair or
    # partnership_one_open_per_mentee even when two requests create it at once, which a check
    # made before saving could not see.
    partnership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            partnership.save()
    except IntegrityError:
        open_pair = Partnership.objects.filter(
            program=program, mentor=mentor, mentee=mentee, status__in=Partnership.OPEN_STATUSES
        )
        if open_pair.exists():
            raise ValidationError(
                {"mentee": f"{mentor} and {mentee} already have an open partnership in {program}."}
            ) from None
        if Partnership.objects.filter(
            program=program, mentee=mentee, status__in=Partnership.OPEN_STATUSES
        ).exists():
            raise ValidationError(
                {"mentee": f"{mentee} already has a mentor in {program}."}
            ) from None
        raise
    audit.record(
        PartnershipAction.CREATED,
        on=partnership,
        actor=actor,
        now=now,
        to_status=partnership.status,
        agreement_due_on=due_on.isoformat(),
        **(detail or {}),
    )
    signals.changed(partnership, now=now)
    return partnership


@transaction.atomic
def change_status(
    *,
    partnership: Partnership,
    to_status: str,
    actor: User | None,
    detail: dict | None = None,
    now: datetime.datetime | None = None,
) -> Partnership:
    """Move a partnership to `to_status` exactly once, even with two concurrent callers.

    The UPDATE is conditional on the status we read, so of two racing callers only one
    changes a row; the other gets StaleStatus. This works on SQLite (which ignores
    select_for_update) and PostgreSQL alike. `now` (default: the clock) is when it happened.
    """
    from_status = partnership.status
    if to_status not in Partnership.Status.values:
        raise ValidationError(f"{to_status!r} is not a partnership status.")
    if to_status not in TRANSITIONS[Partnership.Status(from_status)]:
        raise ValidationError(
            f"A partnership that is {partnership.get_status_display().lower()} cannot become "
            f"{Partnership.Status(to_status).label.lower()}."
        )
    now = now or timezone.now()
    changed = Partnership.objects.filter(pk=partnership.pk, status=from_status).update(
        status=to_status, status_changed_at=now
    )
    if changed != 1:
        raise StaleStatus(partnership.public_id)
    audit.record(
        PartnershipAction.STATUS_CHANGED,
        on=partnership,
        actor=actor,
        now=now,
        from_status=from_status,
        to_status=to_status,
        **(detail or {}),
    )
    webhooks.emit(
        program_id=partnership.program_id,
        event=WebhookEvent.PARTNERSHIP_STATUS_CHANGED,
        now=now,
        data={
            "partnership": str(partnership.public_id),
            "from_status": from_status,
            "to_status": to_status,
            "changed_at": now.isoformat(),
        },
    )
    partnership.status = to_status
    partnership.status_changed_at = now
    signals.changed(partnership, now=now)
    return partnership
