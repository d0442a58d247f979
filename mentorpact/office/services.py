"""Writes for running a program: programs, their settings and coordinators, invitations and
the people import. Every change leaves an audit event (ProgramAction); emails go out from
tasks enqueued once the transaction has committed."""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreement_templates import selectors as template_selectors
from mentorpact.agreement_templates.rules import override_errors
from mentorpact.agreement_templates.schema import Template
from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.office import people, tasks
from mentorpact.office.models import Invitation, PeopleUpload, ProgramAction
from mentorpact.office.people import JOIN_FIELDS, Person, has_joined
from mentorpact.partnerships.models import Partnership
from mentorpact.programs import signals as program_signals
from mentorpact.programs.models import Enrolment, Program

Role = Enrolment.Role
Kind = ProgramAction
# Task arguments stay small: one task per this many emails.
EMAIL_BATCH = 200


@dataclass
class EnrolResult:
    invited: int = 0  # a new account, or one never used: invitation emailed
    enrolled: int = 0  # an existing account: enrolled and told
    updated: int = 0  # already enrolled in this role; the mentor's capacity changed
    unchanged: int = 0  # already enrolled in this role, nothing to change

    @property
    def changed(self) -> int:
        return self.invited + self.enrolled + self.updated


def record(program: Program, kind: str, actor: User | None, **detail) -> Event:
    return audit.record(kind, on=program, actor=actor, program_id=program.pk, **detail)


# --- Programs ----------------------------------------------------------------------------


@transaction.atomic
def create_program(
    *, name: str, coordinator_email: str, coordinator_name: str, actor: User
) -> Program:
    """A new program with its first coordinator, who is invited by email (or, with an account
    already, enrolled and told)."""
    program = Program(name=name.strip())
    program.full_clean()
    program.save()
    record(program, Kind.CREATED, actor, name=program.name)
    enrol_people(
        program=program,
        people=[Person(email=coordinator_email, full_name=coordinator_name, role=Role.COORDINATOR)],
        actor=actor,
    )
    return program


@transaction.atomic
def archive_program(*, program: Program, actor: User) -> bool:
    """Archive once: False when it already was (a conditional UPDATE, so two clicks record
    one event)."""
    now = timezone.now()
    if not Program.objects.filter(pk=program.pk, archived_at__isnull=True).update(archived_at=now):
        return False
    program.archived_at = now
    record(program, Kind.ARCHIVED, actor)
    return True


@transaction.atomic
def restore_program(*, program: Program, actor: User) -> bool:
    if not Program.objects.filter(pk=program.pk, archived_at__isnull=False).update(
        archived_at=None
    ):
        return False
    program.archived_at = None
    record(program, Kind.RESTORED, actor)
    return True


SETTINGS_FIELDS = (
    "name",
    "sponsor",
    "contact_email",
    "contact_phone",
    "return_address",
    "kickoff_date",
    "agreement_due_date",
    "agreement_days_after_pairing",
    "retention_years",
    "rules",
)


def rules_errors(program: Program, rules: object) -> list[str]:
    """What is wrong with these rule overrides for the program's current template."""
    if rules in ({}, None):
        return []
    version = template_selectors.chosen_version(program)
    if version is None:
        return ["Choose the program's agreement template before overriding its rules."]
    return override_errors(Template.from_dict(version.definition), rules)


@transaction.atomic
def update_program(*, program: Program, actor: User, **values) -> list[str]:
    """Change the program's settings; returns the names of the fields that changed (and records
    them, not their values, in one event). Only changed columns are written, so two
    coordinators editing different settings at once both keep theirs."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not a program setting: {', '.join(sorted(unknown))}")
    if "rules" in values:
        errors = rules_errors(program, values["rules"])
        if errors:
            raise ValidationError({"rules": errors})
    changed = [name for name, value in values.items() if getattr(program, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(program, name, values[name])
    program.full_clean()
    program.save(update_fields=changed)
    record(program, Kind.SETTINGS_CHANGED, actor, fields=changed)
    if {"rules", "kickoff_date"} & set(changed):
        program_signals.terms_changed.send(sender=Program, program=program)
    return changed


# --- Coordinators ------------------------------------------------------------------------


@transaction.atomic
def remove_coordinator(*, program: Program, user: User, actor: User) -> None:
    """A program always keeps one coordinator: of two removals at once, the second waits
    for the program's row lock (PostgreSQL) or the write lock (SQLite) and sees one left."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    coordinators = Enrolment.objects.filter(program=program, role=Role.COORDINATOR)
    if not coordinators.filter(user=user).exists():
        raise ValidationError(f"{user} is not a coordinator of {program}.")
    if coordinators.count() <= 1:
        raise ValidationError(
            f"{program} needs at least one coordinator: add another before removing {user}."
        )
    coordinators.filter(user=user).delete()
    Invitation.objects.filter(
        program=program, user=user, role=Role.COORDINATOR, accepted_at__isnull=True
    ).update(revoked_at=timezone.now())
    record(program, Kind.COORDINATOR_REMOVED, actor, email=user.email)


# --- People and invitations --------------------------------------------------------------


def _new_user(person: Person) -> User:
    user = User(
        email=person.email,
        full_name=person.full_name,
        department=person.department,
        time_zone=person.time_zone or "UTC",
        # A zone the coordinator gave (CSV or invite form) counts as chosen: the browser's
        # zone at the first sign-in does not replace it (accounts.adopt_browser_time_zone).
        time_zone_chosen=bool(person.time_zone),
    )
    # The person chooses a password from the invitation's link. The same unusable form as
    # set_unusable_password() ("!" and random text), made in one urandom call: the
    # character-by-character get_random_string took half a 5,000-row import's Python time.
    user.password = UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)
    return user


@transaction.atomic
def enrol_people(
    *, program: Program, people: Sequence[Person], actor: User | None, now: datetime | None = None
) -> EnrolResult:
    """Enrol everyone in `people` in `program` in one transaction: all or nothing.

    A new address gets an account without a password and an invitation; an account that was
    never used gets an invitation (again, with a fresh link, if one was revoked); a used
    account is enrolled and told. Someone already enrolled in the same role is left as they
    are (only a mentor's capacity is updated), so enrolling the same people again changes
    nothing. Someone enrolled here in another role is refused: check with
    `office.people.check_people` first to show every problem at once. Names, departments and
    time zones are only set on accounts this creates: people own their profile afterwards.
    """
    now = now or timezone.now()
    people = [
        Person(**{**person.__dict__, "email": person.email.strip().lower()}) for person in people
    ]
    emails = [person.email for person in people]
    if len(set(emails)) != len(emails):
        raise ValidationError("The same email address is listed twice.")
    users = {user.email: user for user in User.objects.filter(email__in=emails).only(*JOIN_FIELDS)}
    held = {
        (e.user_id, e.role): e
        for e in Enrolment.objects.filter(program=program, user__in=users.values()).only(
            "user_id", "role", "capacity"
        )
    }
    roles_held: dict[int, set[str]] = {}
    for user_id, role in held:
        roles_held.setdefault(user_id, set()).add(role)
    for person in people:
        user = users.get(person.email)
        other = roles_held.get(user.pk, set()) - {person.role} if user else set()
        if other:
            raise ValidationError(
                f"{person.email} is already enrolled in {program} as {', '.join(sorted(other))}."
            )
    nameless = [p.email for p in people if p.email not in users and not p.full_name.strip()]
    if nameless:
        raise ValidationError(
            {"full_name": f"{nameless[0]} has no account yet: give their name for the invitation."}
        )
    created = User.objects.bulk_create(
        [_new_user(person) for person in people if person.email not in users]
    )
    users.update({user.email: user for user in created})
    invitations = {
        (i.user_id, i.role): i
        for i in Invitation.objects.filter(program=program, user__in=users.values())
    }

    result = EnrolResult()
    new_enrolments: list[Enrolment] = []
    new_invitations: list[Invitation] = []
    renewed: list[Invitation] = []
    told: list[Enrolment] = []
    updated: list[Enrolment] = []
    events: list[Event] = []
    for person in people:
        user = users[person.email]
        capacity = person.capacity if person.role == Role.MENTOR else None
        enrolment = held.get((user.pk, person.role))
        if enrolment is not None:
            if capacity is not None and enrolment.capacity != capacity:
                enrolment.capacity = capacity
                updated.append(enrolment)
                result.updated += 1
            else:
                result.unchanged += 1
            continue
        enrolment = Enrolment(program=program, user=user, role=person.role, capacity=capacity or 1)
        new_enrolments.append(enrolment)
        detail: dict[str, Any] = {"email": user.email, "role": person.role}
        if has_joined(user):
            told.append(enrolment)
            result.enrolled += 1
            events.append(
                audit.event(Kind.ENROLLED, on=program, actor=actor, program_id=program.pk, **detail)
            )
            continue
        invitation = invitations.get((user.pk, person.role))
        if invitation is None:
            new_invitations.append(
                Invitation(
                    program=program, user=user, role=person.role, invited_by=actor, sent_at=now
                )
            )
        else:
            invitation.renew(now=now, by=actor)
            renewed.append(invitation)
        result.invited += 1
        events.append(
            audit.event(Kind.INVITED, on=program, actor=actor, program_id=program.pk, **detail)
        )

    Enrolment.objects.bulk_create(new_enrolments)
    Enrolment.objects.bulk_update(updated, ["capacity"])
    Invitation.objects.bulk_create(new_invitations)
    Invitation.objects.bulk_update(
        renewed, ["nonce", "sent_at", "accepted_at", "revoked_at", "invited_by"]
    )
    audit.record_all(events)
    # bulk_create gave the new rows their keys (SQLite 3.35+ and PostgreSQL return them).
    _after_commit(tasks.send_invitations, [i.pk for i in new_invitations + renewed])
    _after_commit(tasks.send_enrolment_notices, [e.pk for e in told])
    return result


def _after_commit(task, ids: list[int]) -> None:
    for start in range(0, len(ids), EMAIL_BATCH):
        batch = ids[start : start + EMAIL_BATCH]
        transaction.on_commit(partial(task.enqueue, batch))


@transaction.atomic
def save_upload(
    *, program: Program, actor: User, filename: str, content: bytes, rows: int = 0
) -> PeopleUpload:
    """Keep an uploaded file for its preview; this person's older uploads for the program
    are dropped (a preview is only ever imported from its own page), except one still
    importing, whose status page they may be waiting on."""
    PeopleUpload.objects.filter(program=program, uploaded_by=actor).exclude(
        status__in=PeopleUpload.PENDING
    ).delete()
    return PeopleUpload.objects.create(
        program=program, uploaded_by=actor, filename=filename[:255], content=content, rows=rows
    )


@transaction.atomic
def queue_import(*, upload: PeopleUpload, actor: User) -> bool:
    """The coordinator's "Import": the worker imports the file (tasks.import_people), so a
    5,000-row file does not hold the request. Once only: False when it was queued already
    (a second click), by a conditional UPDATE."""
    now = timezone.now()
    if not PeopleUpload.objects.filter(pk=upload.pk, status=PeopleUpload.Status.PREVIEWED).update(
        status=PeopleUpload.Status.QUEUED, queued_at=now
    ):
        return False
    upload.status, upload.queued_at = PeopleUpload.Status.QUEUED, now
    record(upload.program, Kind.PEOPLE_IMPORT_QUEUED, actor, filename=upload.filename)
    transaction.on_commit(partial(tasks.import_people.enqueue, upload.pk))
    return True


@transaction.atomic
def import_people(*, upload: PeopleUpload, people: Sequence[Person], actor: User) -> EnrolResult:
    """The checked rows of an uploaded file, enrolled all or nothing, and the upload marked
    done with its counts in the same transaction (its content emptied: the rows now live in
    the program)."""
    result = enrol_people(program=upload.program, people=people, actor=actor)
    counts = {
        "invited": result.invited,
        "enrolled": result.enrolled,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    record(
        upload.program,
        Kind.PEOPLE_IMPORTED,
        actor,
        filename=upload.filename,
        rows=len(people),
        **counts,
    )
    _finish(upload, PeopleUpload.Status.DONE, result=counts)
    return result


UNEXPECTED = (
    "The import stopped on an unexpected error, so nothing was imported. Upload the file "
    "again to retry; if it happens again, tell your site administrator."
)


def run_import(*, upload_id: int) -> PeopleUpload | None:
    """The worker's side of an import (tasks.import_people): check the queued file again
    (the program may have changed since the preview), then import it all or nothing, or
    keep the reasons it was refused. None when there was nothing to import.

    The claim (a conditional UPDATE queued -> done or failed) is in the import's own
    transaction: a second run of the task waits for the first (the row lock; SQLite's one
    writer) and finds nothing queued, and a worker that dies mid-import leaves the upload
    queued, so the task run again (a stalled task is queued again) imports it whole. The
    check itself reads only, before the transaction, so it holds no lock."""
    upload = (
        PeopleUpload.objects.select_related("program", "uploaded_by")
        .filter(pk=upload_id, status=PeopleUpload.Status.QUEUED)
        .first()
    )
    if upload is None:
        return None
    preview = people.read_people(bytes(upload.content), upload.program)
    try:
        with transaction.atomic():
            if not PeopleUpload.objects.filter(
                pk=upload.pk, status=PeopleUpload.Status.QUEUED
            ).update(status=PeopleUpload.Status.IMPORTING):
                return None
            if not preview.ok:
                refuse_import(upload=upload, problems=_problems(preview))
                return upload
            try:
                import_people(upload=upload, people=preview.people, actor=upload.uploaded_by)
            except ValidationError as error:
                refuse_import(upload=upload, problems=error.messages)
    except Exception:
        # Rolled back, so still queued; the status page must not wait for ever, so it is
        # recorded as refused (once: conditional on queued). The worker logs the error.
        with transaction.atomic():
            if PeopleUpload.objects.filter(pk=upload.pk, status=PeopleUpload.Status.QUEUED).update(
                status=PeopleUpload.Status.IMPORTING
            ):
                refuse_import(upload=upload, problems=[UNEXPECTED])
        raise
    return upload


def _problems(preview: people.Preview) -> list[str]:
    problems = [preview.sheet.refusal] if preview.sheet.refusal else []
    return problems + [
        f"Line {p.line}{f', column {p.column}' if p.column else ''}: {p.message}"
        for p in preview.sheet.problems
    ]


@transaction.atomic
def refuse_import(*, upload: PeopleUpload, problems: Sequence[str]) -> None:
    """The import did not happen (the file no longer passes its checks, or the program
    refused it): nothing was written; the reasons are kept for the status page."""
    record(
        upload.program,
        Kind.PEOPLE_IMPORT_FAILED,
        upload.uploaded_by,
        filename=upload.filename,
        problems=len(problems),
    )
    _finish(upload, PeopleUpload.Status.FAILED, problems=list(problems))


def _finish(upload: PeopleUpload, status: str, **values: Any) -> None:
    upload.status, upload.finished_at, upload.content = status, timezone.now(), b""
    for name, value in values.items():
        setattr(upload, name, value)
    upload.save(update_fields=["status", "finished_at", "content", *values])


def _record_invitation(invitation: Invitation, kind: str, actor: User | None) -> None:
    record(invitation.program, kind, actor, email=invitation.user.email, role=invitation.role)


@transaction.atomic
def resend_invitation(*, invitation: Invitation, actor: User) -> None:
    """A fresh link (the old one stops working) and a new email; revoked ones too."""
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.user} has already accepted.")
    if invitation.revoked_at is not None:
        if (
            Enrolment.objects.filter(program=invitation.program, user=invitation.user)
            .exclude(role=invitation.role)
            .exists()
        ):
            raise ValidationError(f"{invitation.user} is now enrolled here in another role.")
        Enrolment.objects.get_or_create(
            program=invitation.program, user=invitation.user, role=invitation.role
        )
    invitation.renew(now=timezone.now(), by=actor)
    invitation.save()
    _record_invitation(invitation, Kind.INVITATION_RESENT, actor)
    _after_commit(tasks.send_invitations, [invitation.pk])


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User) -> None:
    """The link stops working and the person leaves the program's roster. Refused once they
    are paired: undo the pairing first."""
    if invitation.accepted_at is not None:
        raise ValidationError(f"{invitation.user} has already accepted the invitation.")
    if invitation.revoked_at is not None:
        return
    if invitation.role != Role.COORDINATOR:
        paired = Partnership.objects.filter(
            program=invitation.program,
            status__in=Partnership.OPEN_STATUSES,
            **{invitation.role: invitation.user},
        )
        if paired.exists():
            raise ValidationError(
                f"{invitation.user} is already paired: undo the pairing before revoking."
            )
    if invitation.role == Role.COORDINATOR:
        remove_coordinator(program=invitation.program, user=invitation.user, actor=actor)
    else:
        Enrolment.objects.filter(
            program=invitation.program, user=invitation.user, role=invitation.role
        ).delete()
    # Conditional, so the person accepting at this moment either wins or finds it revoked.
    if not Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now()):
        raise ValidationError(f"{invitation.user} accepted the invitation just now.")
    invitation.refresh_from_db()
    _record_invitation(invitation, Kind.INVITATION_REVOKED, actor)


@transaction.atomic
def accept_invitations_by_sso(
    *, user: User, provider_id: int, now: datetime | None = None
) -> list[Invitation]:
    """Accept every pending invitation of `user` at their first sign-in through an
    institution's provider (sso.signals.linked): the provider has just vouched for the
    invited address, as the emailed link would; the person joined with no password, so no
    other step would ever accept it. A revoked invitation stays revoked; one whose link
    expired is still the coordinator's invitation, and is accepted. Each is recorded as
    program.invitation_accepted with via "sso"."""
    now = now or timezone.now()
    accepted = []
    pending = Invitation.objects.select_related("program", "user").filter(
        user=user, accepted_at__isnull=True, revoked_at__isnull=True
    )
    for invitation in pending:
        # Conditional, like accept_invitation: a revoke at this moment wins or loses whole.
        if Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(accepted_at=now):
            invitation.accepted_at = now
            record(
                invitation.program,
                Kind.INVITATION_ACCEPTED,
                user,
                now=now,
                email=user.email,
                role=invitation.role,
                via="sso",
                provider=provider_id,
            )
            accepted.append(invitation)
    return accepted


class InvitationUsed(Exception):
    """The invitation was accepted, revoked or re-sent while the form was open."""


@transaction.atomic
def accept_invitation(*, invitation: Invitation, password: str | None) -> User:
    """Set the person's password and mark the invitation used, exactly once: the UPDATE is
    conditional on the nonce and state the link was checked against. An account that has a
    password already (set since the invitation was sent) keeps it: pass None."""
    if not Invitation.objects.filter(
        pk=invitation.pk,
        nonce=invitation.nonce,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(accepted_at=timezone.now()):
        raise InvitationUsed
    user = invitation.user
    if password is not None and not user.has_usable_password():
        user.set_password(password)
        user.save(update_fields=["password"])
    _record_invitation(invitation, Kind.INVITATION_ACCEPTED, user)
    return user
