"""Writes for pairing: the coordinator pairs a mentor with a mentee, or undoes a pairing.

One function per action. `pair` creates the partnership (partnerships.services, which fixes
the pair's own agreement due date and writes the created event) and emails both people once
the transaction commits; `unpair` closes a pairing nobody has signed for (a status event).
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from mentorpact.accounts.models import User
from mentorpact.agreements.models import Signature
from mentorpact.audit import services as audit
from mentorpact.meetings import services as meeting_services
from mentorpact.pairing import tasks
from mentorpact.pairing.imports import Pairing
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.programs.models import Enrolment, Program
from mentorpact.progress import due_rows

# Task arguments stay small: one notice task per this many pairings.
NOTICE_BATCH = 200


class PairingError(ValidationError):
    """Nothing was written; the message (by field: mentor, mentee) says why."""


def _enrolment(program: Program, user: User, role: str) -> Enrolment | None:
    return Enrolment.objects.filter(program=program, user=user, role=role).first()


def _full(mentor: User, taken: int, capacity: int, program: Program) -> str:
    return (
        f"{mentor.full_name} already mentors {taken} of the {capacity} "
        f"mentee{'s' if capacity != 1 else ''} they can take in {program}. Raise their "
        "capacity by importing their row again with a larger one (People), or choose "
        "another mentor."
    )


def open_pairings_of(program: Program, mentor: User) -> int:
    return Partnership.objects.filter(
        program=program, mentor=mentor, status__in=Partnership.OPEN_STATUSES
    ).count()


@transaction.atomic
def pair(
    *,
    program: Program,
    mentor: User,
    mentee: User,
    actor: User | None,
    notify: bool = True,
    now: datetime.datetime | None = None,
) -> Partnership:
    """Pair `mentor` with `mentee` in `program`, within the mentor's capacity.

    Two coordinators pairing a mentor's last free place at once: one wins. The first write is
    an UPDATE of the mentor's enrolment row, which holds its row lock until this transaction
    ends; the count of the mentor's open partnerships is read only after it, so the second
    caller waits for the first to commit and then counts its partnership (PostgreSQL reads
    each statement afresh under READ COMMITTED; SQLite takes its one write lock at BEGIN
    IMMEDIATE). A mentee paired twice at once is refused by the database
    (partnership_one_open_per_mentee)."""
    errors: dict[str, str] = {}
    mentoring = _enrolment(program, mentor, Enrolment.Role.MENTOR)
    if mentoring is None:
        errors["mentor"] = f"{mentor.full_name} is not a mentor in {program}."
    if _enrolment(program, mentee, Enrolment.Role.MENTEE) is None:
        errors["mentee"] = f"{mentee.full_name} is not a mentee in {program}."
    if mentor.pk == mentee.pk:
        errors["mentee"] = "A mentor cannot be their own mentee."
    if errors:
        raise PairingError(errors)
    assert mentoring is not None
    Enrolment.objects.filter(pk=mentoring.pk).update(capacity=F("capacity"))  # the lock
    capacity = Enrolment.objects.values_list("capacity", flat=True).get(pk=mentoring.pk)
    taken = open_pairings_of(program, mentor)
    if taken >= capacity:
        raise PairingError({"mentor": _full(mentor, taken, capacity, program)})
    current = (
        Partnership.objects.filter(
            program=program, mentee=mentee, status__in=Partnership.OPEN_STATUSES
        )
        .select_related("mentor")
        .first()
    )
    if current is not None:
        raise PairingError(
            {"mentee": f"{mentee.full_name} is already paired with {current.mentor.full_name}."}
        )
    # A mentee whose partnership ended early may be paired again: reassignment, recorded so.
    previous = (
        Partnership.objects.filter(
            program=program, mentee=mentee, status=Partnership.Status.ENDED_EARLY
        )
        .order_by("-status_changed_at")
        .values_list("public_id", flat=True)
        .first()
    )
    detail = {"paired_by": "coordinator"}
    if previous is not None:
        detail["reassigned_from"] = str(previous)
    try:
        partnership = partnership_services.create_partnership(
            program=program, mentor=mentor, mentee=mentee, actor=actor, detail=detail, now=now
        )
    except ValidationError as error:
        raise PairingError(error.message_dict) from None
    if notify:
        transaction.on_commit(lambda: tasks.notify_paired.enqueue(partnership_id=partnership.pk))
    return partnership


SIGNED = (
    "Someone has signed this pair's agreement, so the pairing can no longer be undone. "
    "End the partnership early from its closing review instead."
)


def undo_refusal(partnership: Partnership) -> str:
    """Why this pairing cannot be undone, or "" when it can: only a drafting pair, and only
    while nobody has signed any version of its agreement (a signature later voided by an
    edit still counts: someone signed)."""
    if partnership.status != Partnership.Status.DRAFTING:
        return (
            f"This pairing is {partnership.get_status_display().lower()}: only a pairing still "
            "drafting its agreement can be undone."
        )
    if Signature.objects.filter(version__agreement__partnership=partnership).exists():
        return SIGNED
    return ""


@transaction.atomic
def unpair(*, partnership: Partnership, actor: User | None) -> Partnership:
    """Undo a pairing whose agreement nobody has signed: the partnership becomes "Pairing
    undone" (closed; its record stays readable), the mentee waits again and the mentor's place
    is free. Both partners are told."""
    refusal = undo_refusal(partnership)
    if refusal:
        raise PairingError(refusal)
    try:
        # The conditional UPDATE (drafting -> unpaired) comes first and holds the row, so of two
        # coordinators undoing at once one wins; the signature check is then read again. A
        # partner signing takes the same row first (agreements.services.sign_agreement), so
        # an undo either waits for that signature and sees it here, or makes the signer's
        # UPDATE find no open partnership: never an undone pairing with a signature.
        partnership_services.change_status(
            partnership=partnership,
            to_status=Partnership.Status.UNPAIRED,
            actor=actor,
            detail={"undone": True},
        )
    except partnership_services.StaleStatus:
        raise PairingError("This pairing changed meanwhile: reload the page.") from None
    if Signature.objects.filter(version__agreement__partnership=partnership).exists():
        raise PairingError(SIGNED)
    meeting_services.cancel_meetings_of_ended(partnership=partnership, actor=actor)
    transaction.on_commit(lambda: tasks.notify_unpaired.enqueue(partnership_id=partnership.pk))
    return partnership


@transaction.atomic
def import_pairings(
    *,
    program: Program,
    pairings: Sequence[Pairing],
    actor: User | None,
    now: datetime.datetime | None = None,
) -> list[Partnership]:
    """The new pairings of a checked CSV (imports.read_pairings), made all or nothing: the
    first refusal in file order (the program changed since the preview) undoes the whole file
    and names its line. Rows already paired were left out by the check, so importing again
    changes nothing. Each pair is emailed once the whole file has committed.

    The same rules as `pair`, checked for the whole file at once: the program's rules, the
    enrolments, the mentors' capacities and the open partnerships are each read once, the
    partnerships and their events are inserted in bulk, so the queries do not grow with the
    rows (bar the database's own batching of a bulk insert). The capacity lock is `pair`'s:
    the first write updates every listed mentor's enrolment row, and the counts are read
    after it, so a coordinator pairing one of these mentors by hand meanwhile waits for this
    file (or this file for them) and the later one counts the other's partnerships."""
    if not pairings:
        return []
    mentor_ids = {pairing.mentor.pk for pairing in pairings}
    people_ids = mentor_ids | {pairing.mentee.pk for pairing in pairings}
    roles = (Enrolment.Role.MENTOR, Enrolment.Role.MENTEE)
    enrolments = Enrolment.objects.filter(program=program, role__in=roles)
    enrolments.filter(role=Enrolment.Role.MENTOR, user_id__in=mentor_ids).update(
        capacity=F("capacity")  # the lock, as in pair()
    )
    capacity: dict[int, int] = {}
    mentees: set[int] = set()
    for user_id, role, places in enrolments.filter(user_id__in=people_ids).values_list(
        "user_id", "role", "capacity"
    ):
        if role == Enrolment.Role.MENTOR:
            capacity[user_id] = places
        else:
            mentees.add(user_id)
    taken: Counter[int] = Counter()
    mentor_of: dict[int, str] = {}
    for mentor_id, mentee_id, mentor_name in (
        Partnership.objects.filter(program=program, status__in=Partnership.OPEN_STATUSES)
        .order_by()
        .values_list("mentor_id", "mentee_id", "mentor__full_name")
    ):
        taken[mentor_id] += 1
        mentor_of[mentee_id] = mentor_name
    # A mentee whose partnership ended early may be paired again: reassignment, recorded so.
    previous = dict(
        Partnership.objects.filter(
            program=program,
            mentee_id__in=people_ids - mentor_ids,
            status=Partnership.Status.ENDED_EARLY,
        )
        .order_by("status_changed_at")
        .values_list("mentee_id", "public_id")
    )  # the latest per mentee wins: ordered oldest first

    now = now or timezone.now()
    due_on = partnership_services.agreement_due_on(
        program,
        paired_on=now.astimezone(datetime.UTC).date(),
        programs_date=partnership_services.programs_due_date(program),
    )
    made: list[Partnership] = []
    details: list[dict[str, Any]] = []
    for pairing in pairings:
        mentor, mentee = pairing.mentor, pairing.mentee
        errors: dict[str, str] = {}
        if mentor.pk not in capacity:
            errors["mentor"] = f"{mentor.full_name} is not a mentor in {program}."
        if mentee.pk not in mentees:
            errors["mentee"] = f"{mentee.full_name} is not a mentee in {program}."
        if mentor.pk == mentee.pk:
            errors["mentee"] = "A mentor cannot be their own mentee."
        if not errors and taken[mentor.pk] >= capacity[mentor.pk]:
            errors["mentor"] = _full(mentor, taken[mentor.pk], capacity[mentor.pk], program)
        if not errors and mentee.pk in mentor_of:
            errors["mentee"] = f"{mentee.full_name} is already paired with {mentor_of[mentee.pk]}."
        if errors:
            raise PairingError(f"Line {pairing.line}: {' '.join(errors.values())}")
        taken[mentor.pk] += 1
        mentor_of[mentee.pk] = mentor.full_name
        partnership = Partnership(
            program=program, mentor=mentor, mentee=mentee, agreement_due_on=due_on
        )
        # Each field's own checks; the foreign keys were checked above (full_clean would look
        # each one up again) and the constraints are the database's, as the INSERT runs.
        partnership.clean_fields(exclude=["program", "mentor", "mentee"])
        made.append(partnership)
        detail: dict[str, Any] = {"paired_by": "coordinator"}
        if mentee.pk in previous:
            detail["reassigned_from"] = str(previous[mentee.pk])
        details.append(detail)
    try:
        with transaction.atomic():
            Partnership.objects.bulk_create(made)
    except IntegrityError:
        # Someone paired one of these mentees between our read and the INSERT.
        raise PairingError(
            "One of these mentees was paired meanwhile: upload the file again to see which."
        ) from None
    audit.record_all(
        [
            audit.event(
                PartnershipAction.CREATED,
                on=partnership,
                actor=actor,
                now=now,
                to_status=partnership.status,
                agreement_due_on=due_on.isoformat(),
                **detail,
            )
            for partnership, detail in zip(made, details, strict=True)
        ]
    )
    # Written in bulk, not through partnerships' services: their due items (and so the
    # dashboard's fact rows, progress.signals.due_refreshed) in one batch, as the services'
    # signal would have done one by one.
    due_rows.refresh_many(made, now=now)
    ids = [partnership.pk for partnership in made]
    for start in range(0, len(ids), NOTICE_BATCH):
        transaction.on_commit(
            partial(
                tasks.notify_paired_many.enqueue, partnership_ids=ids[start : start + NOTICE_BATCH]
            )
        )
    return made
