"""Writes for pairing: the coordinator pairs a mentor with a mentee, or undoes a pairing.

One function per action. `pair` creates the partnership (partnerships.services, which fixes
the pair's own agreement due date and writes the created event) and emails both people once
the transaction commits; `unpair` closes a pairing nobody has signed for (a status event).
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from mentorpact.accounts.models import User
from mentorpact.agreements.models import Signature
from mentorpact.pairing import tasks
from mentorpact.pairing.imports import Pairing
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership
from mentorpact.programs.models import Enrolment, Program


class PairingError(ValidationError):
    """Nothing was written; the message (by field: mentor, mentee) says why."""


def _enrolment(program: Program, user: User, role: str) -> Enrolment | None:
    return Enrolment.objects.filter(program=program, user=user, role=role).first()


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
        raise PairingError(
            {
                "mentor": f"{mentor.full_name} already mentors {taken} of the {capacity} "
                f"mentee{'s' if capacity != 1 else ''} they can take in {program}. Raise their "
                "capacity by importing their row again with a larger one (People), or choose "
                "another mentor."
            }
        )
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
        return (
            "Someone has signed this pair's agreement, so the pairing can no longer be undone. "
            "End the partnership early from its closing review instead."
        )
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
        # coordinators undoing at once one wins; the signature check is then read again.
        partnership_services.change_status(
            partnership=partnership,
            to_status=Partnership.Status.UNPAIRED,
            actor=actor,
            detail={"undone": True},
        )
    except partnership_services.StaleStatus:
        raise PairingError("This pairing changed meanwhile: reload the page.") from None
    if Signature.objects.filter(version__agreement__partnership=partnership).exists():
        raise PairingError(undo_refusal(partnership))
    transaction.on_commit(lambda: tasks.notify_unpaired.enqueue(partnership_id=partnership.pk))
    return partnership


@transaction.atomic
def import_pairings(
    *, program: Program, pairings: Sequence[Pairing], actor: User | None
) -> list[Partnership]:
    """The new pairings of a checked CSV (imports.read_pairings), made all or nothing: the
    first refusal (the program changed since the preview) undoes the whole file and names its
    line. Rows already paired were left out by the check, so importing again changes nothing.
    Each pair is emailed once the whole file has committed."""
    made = []
    for pairing in pairings:
        try:
            made.append(
                pair(program=program, mentor=pairing.mentor, mentee=pairing.mentee, actor=actor)
            )
        except PairingError as error:
            raise PairingError(f"Line {pairing.line}: {' '.join(error.messages)}") from None
    return made
