"""Writes for the confidentiality exceptions. Each is refused unless the program's form
declares the exception; each records an audit event (ids, dates, flags: no text). The
safeguarding contact's alert is an outbox row written with the record and delivered once it
commits: it says a disclosure was recorded and links to it, never what was written."""

import datetime
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.confidentiality import selectors
from mentorpact.confidentiality.models import (
    MAX_TEXT_CHARS,
    AgreedDisclosure,
    ConfidentialityAction,
    DangerDisclosure,
    DisclosureUse,
    SafeguardingContact,
)
from mentorpact.lib import emails
from mentorpact.outbox import services as outbox
from mentorpact.outbox import tasks as outbox_tasks
from mentorpact.partnerships.models import Partnership
from mentorpact.partnerships.selectors import closed_message
from mentorpact.programs.models import Program


class ConfidentialityError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _text(text: str, field: str, *, limit: int = MAX_TEXT_CHARS, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ConfidentialityError("Fill this in.", field=field)
    if len(text) > limit:
        raise ConfidentialityError(
            f"Keep it under {limit} characters (this has {len(text)}).", field=field
        )
    return text


def _require(partnership: Partnership, exception: str) -> None:
    if exception not in selectors.exceptions_of(partnership):
        raise ConfidentialityError("Your program's agreement does not declare this exception.")


def _require_open(partnership: Partnership) -> None:
    refusal = closed_message(partnership, fresh=True)
    if refusal:
        raise ConfidentialityError(refusal)


def _require_mentor(partnership: Partnership, user: User) -> None:
    if partnership.mentor_id != user.pk:
        raise ConfidentialityError("Only the mentor records this.")


@transaction.atomic
def propose_agreed_disclosure(
    *,
    partnership: Partnership,
    user: User,
    person: str,
    boundaries: str,
    issue: str,
    now: datetime.datetime | None = None,
) -> AgreedDisclosure:
    if partnership.role_of(user) is None:
        raise ConfidentialityError("Only the mentor and mentee agree a disclosure.")
    _require(partnership, selectors.AGREED)
    _require_open(partnership)
    now = now or timezone.now()
    disclosure = AgreedDisclosure(
        partnership=partnership,
        person=_text(person, "person", limit=500),
        boundaries=_text(boundaries, "boundaries"),
        issue=_text(issue, "issue"),
        proposed_by=user,
        proposed_at=now,
    )
    disclosure.full_clean()
    disclosure.save()
    audit.record(
        ConfidentialityAction.PROPOSED, on=disclosure, actor=user, partnership=partnership, now=now
    )
    return disclosure


@transaction.atomic
def agree_disclosure(
    *, disclosure: AgreedDisclosure, user: User, now: datetime.datetime | None = None
) -> AgreedDisclosure:
    """The other partner agrees: from now the mentor may speak to that person."""
    partnership = disclosure.partnership
    if partnership.role_of(user) is None or user.pk == disclosure.proposed_by_id:
        raise ConfidentialityError("The partner who did not propose it agrees to it.")
    _require_open(partnership)
    now = now or timezone.now()
    changed = AgreedDisclosure.objects.filter(
        pk=disclosure.pk, agreed_at__isnull=True, revoked_at__isnull=True
    ).update(agreed_at=now, agreed_by=user)
    if changed != 1:
        raise ConfidentialityError("This disclosure was agreed or revoked meanwhile.")
    disclosure.refresh_from_db()
    audit.record(
        ConfidentialityAction.AGREED, on=disclosure, actor=user, partnership=partnership, now=now
    )
    return disclosure


@transaction.atomic
def revoke_disclosure(
    *, disclosure: AgreedDisclosure, user: User, now: datetime.datetime | None = None
) -> AgreedDisclosure:
    """Either partner withdraws it (a proposal too): the mentor may no longer use it."""
    partnership = disclosure.partnership
    if partnership.role_of(user) is None:
        raise ConfidentialityError("Only the mentor and mentee revoke a disclosure.")
    now = now or timezone.now()
    changed = AgreedDisclosure.objects.filter(pk=disclosure.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=user
    )
    if changed != 1:
        raise ConfidentialityError("This disclosure was revoked already.")
    disclosure.refresh_from_db()
    audit.record(
        ConfidentialityAction.REVOKED, on=disclosure, actor=user, partnership=partnership, now=now
    )
    return disclosure


@transaction.atomic
def log_use(
    *,
    disclosure: AgreedDisclosure,
    user: User,
    used_on: datetime.date,
    to_whom: str,
    note: str,
    now: datetime.datetime | None = None,
) -> DisclosureUse:
    partnership = disclosure.partnership
    _require_mentor(partnership, user)
    current = AgreedDisclosure.objects.get(pk=disclosure.pk)
    if not current.in_force:
        raise ConfidentialityError(
            "This disclosure is not in force (not yet agreed, or revoked), so it cannot be used."
        )
    now = now or timezone.now()
    if used_on > timezone.localdate(now):
        raise ConfidentialityError("That date is still to come.", field="used_on")
    use = DisclosureUse(
        disclosure=disclosure,
        logged_by=user,
        used_on=used_on,
        to_whom=_text(to_whom, "to_whom", limit=500),
        note=_text(note, "note", required=False),
        created_at=now,
    )
    use.full_clean()
    use.save()
    audit.record(
        ConfidentialityAction.USED,
        on=disclosure,
        actor=user,
        partnership=partnership,
        now=now,
        used_on=used_on.isoformat(),
    )
    return use


@transaction.atomic
def record_danger_disclosure(
    *,
    partnership: Partnership,
    user: User,
    disclosed_to: str,
    reason: str,
    mentee_told_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> DangerDisclosure:
    """The mentor records a disclosure in serious danger; the program's safeguarding contact
    is emailed at once (without coordinators: the program's contact address)."""
    _require_mentor(partnership, user)
    _require(partnership, selectors.DANGER)
    now = now or timezone.now()
    contact = selectors.contact_of(partnership.program)
    record = DangerDisclosure(
        partnership=partnership,
        mentor=user,
        disclosed_to=_text(disclosed_to, "disclosed_to", limit=500),
        reason=_text(reason, "reason"),
        contact=contact.user if contact else None,
        created_at=now,
        mentee_told_at=mentee_told_at,
        mentee_told_recorded_at=now if mentee_told_at else None,
    )
    record.full_clean()
    record.save()
    audit.record(
        ConfidentialityAction.DANGER,
        on=record,
        actor=user,
        partnership=partnership,
        now=now,
        contact_alerted=bool(contact),
        mentee_told=bool(mentee_told_at),
    )
    address = contact.user.email if contact else partnership.program.contact_email
    if address:
        rendered = emails.render(
            "confidentiality-danger",
            {
                "record": record,
                "partnership": partnership,
                "designated": contact is not None,
                "url": emails.absolute(
                    reverse("confidentiality:danger_record", args=[record.public_id])
                ),
            },
        )
        row = outbox.enqueue(
            key=f"confidentiality-danger:{record.pk}",
            kind="confidentiality-danger",
            to=address,
            rendered=rendered,
            program_id=partnership.program_id,
            partnership_id=partnership.pk,
        )
        transaction.on_commit(partial(outbox_tasks.deliver_email.enqueue, email_id=row.pk))
    return record


@transaction.atomic
def record_mentee_told(
    *,
    record: DangerDisclosure,
    user: User,
    told_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> DangerDisclosure:
    if record.mentor_id != user.pk:
        raise ConfidentialityError("Only the mentor who disclosed records this.")
    now = now or timezone.now()
    if told_at > now:
        raise ConfidentialityError("That time is still to come.", field="told_on")
    DangerDisclosure.objects.filter(pk=record.pk).update(
        mentee_told_at=told_at, mentee_told_recorded_at=now
    )
    record.refresh_from_db()
    audit.record(
        ConfidentialityAction.MENTEE_TOLD,
        on=record,
        actor=user,
        partnership=record.partnership,
        now=now,
        told_at=told_at.isoformat(),
    )
    return record


@transaction.atomic
def set_safeguarding_contact(
    *, program: Program, actor: User, user: User, now: datetime.datetime | None = None
) -> SafeguardingContact:
    if not selectors.coordinators_of(program).filter(user=user).exists():
        raise ConfidentialityError("Choose one of the program's coordinators.", field="contact")
    contact, _ = SafeguardingContact.objects.update_or_create(
        program=program, defaults={"user": user}
    )
    audit.record(
        ConfidentialityAction.CONTACT_SET,
        on=program,
        actor=actor,
        program_id=program.pk,
        now=now,
        contact=str(user.public_id),
    )
    return contact
