"""The due items as rows: `DueEntry`, kept up to date with `due.obligations`.

The services call `refresh` after every change of a partnership's facts (through
partnerships.signals: progress.apps connects it), inside their transaction; a change of a
program's terms refreshes all its open partnerships (programs.signals, `refresh_program`).
The rows are what the program overview filters in SQL and what the reminder planner claims.
"""

import datetime
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from mentorpact.evaluations import services as evaluation_services
from mentorpact.partnerships.models import Partnership
from mentorpact.progress import selectors
from mentorpact.progress.due import Obligation, draft_signatures, evaluation_rounds, obligations
from mentorpact.progress.models import DueEntry, Reminder
from mentorpact.progress.signals import due_refreshed

REFRESH_BATCH = 500


def refresh(partnership: Partnership, *, now: datetime.datetime | None = None) -> None:
    """Bring the partnership's DueEntry rows up to date with its facts (the services call it,
    through partnerships.signals, after every change). Read afresh: the caller's object may
    predate a status change made through another."""
    fresh = Partnership.objects.select_related("program", "mentor", "mentee").get(pk=partnership.pk)
    refresh_many([fresh], now=now)


@transaction.atomic
def refresh_many(
    partnerships: Sequence[Partnership], *, now: datetime.datetime | None = None
) -> int:
    """`refresh` for many partnerships at once, in a fixed number of queries a batch; returns
    how many rows were written."""
    now = now or timezone.now()
    written = 0
    for start in range(0, len(partnerships), REFRESH_BATCH):
        batch = list(partnerships[start : start + REFRESH_BATCH])
        progress = selectors.progress_of_many(batch, role="mentor", now=now, with_due_facts=True)
        signatures = draft_signatures(p.pk for p in batch)
        found: dict[tuple[int, str], tuple[Partnership, Obligation]] = {}
        # The evaluations' rounds of the open ones, as rows (the answer page reads them).
        evaluation_services.sync_rounds(
            (partnership.pk, evaluation.pk, occurrence)
            for partnership in batch
            if partnership.is_open
            for evaluation, _form, occurrence in evaluation_rounds(progress[partnership.pk])
        )
        for partnership in batch:
            for obligation in obligations(
                progress[partnership.pk], signatures=signatures.get(partnership.pk, [])
            ):
                found[(partnership.pk, obligation.key)] = (partnership, obligation)
        # The open rows, and the done ones that are due again (a key that came back).
        existing: dict[tuple[int, str], DueEntry] = {
            (e.partnership_id, e.key): e
            for e in DueEntry.objects.filter(partnership__in=batch).filter(
                Q(done_at__isnull=True) | Q(key__in={key for _, key in found})
            )
        }
        written += _write(existing, found, now)
        due_refreshed.send(sender=DueEntry, partnership_ids=[p.pk for p in batch], now=now)
    return written


_COPIED = ("kind", "due_on", "overdue_on", "remind_at", "remind_kind", "remind_key", "remind_roles")


def _row_values(obligation: Obligation) -> dict:
    reminder = obligation.reminder
    return {
        "kind": obligation.kind,
        "due_on": obligation.due_on,
        "overdue_on": obligation.overdue_on,
        "remind_at": reminder.at if reminder else None,
        "remind_kind": reminder.kind if reminder else "",
        "remind_key": reminder.key if reminder else "",
        "remind_roles": " ".join(reminder.roles) if reminder else "",
    }


def _write(
    existing: dict[tuple[int, str], DueEntry],
    found: dict[tuple[int, str], tuple[Partnership, Obligation]],
    now: datetime.datetime,
) -> int:
    gone = [e.pk for key, e in existing.items() if key not in found and e.done_at is None]
    if gone:
        DueEntry.objects.filter(pk__in=gone).update(done_at=now, to_plan=False, updated_at=now)
    new, changed = [], []
    for key, (partnership, obligation) in found.items():
        values = _row_values(obligation)
        entry = existing.get(key)
        if entry is None:
            new.append(
                DueEntry(
                    partnership=partnership,
                    program_id=partnership.program_id,
                    key=obligation.key,
                    to_plan=bool(values["remind_key"]),
                    updated_at=now,
                    **values,
                )
            )
            continue
        if entry.done_at is None and entry.overdue_on and values["overdue_on"]:
            # Overdue since then, not since today (the action plan's, found again each time).
            values["overdue_on"] = min(entry.overdue_on, values["overdue_on"])
        if values["remind_kind"] == Reminder.Kind.ACTION_PLAN_DUE and entry.remind_at:
            values["remind_at"] = entry.remind_at  # due since it was first found due
        if entry.done_at is None and all(getattr(entry, n) == values[n] for n in _COPIED):
            continue
        for name, value in values.items():
            setattr(entry, name, value)
        entry.done_at = None
        entry.to_plan = bool(entry.remind_key) and entry.remind_key != entry.planned_key
        entry.updated_at = now
        changed.append(entry)
    DueEntry.objects.bulk_create(new)
    DueEntry.objects.bulk_update(changed, [*_COPIED, "done_at", "to_plan", "updated_at"])
    return len(gone) + len(new) + len(changed)


def refresh_program(program_id: int, *, now: datetime.datetime | None = None) -> int:
    """Refresh every open partnership of a program (its rules or template changed)."""
    partnerships = list(
        Partnership.objects.filter(
            program_id=program_id, status__in=Partnership.OPEN_STATUSES
        ).select_related("program", "mentor", "mentee")
    )
    return refresh_many(partnerships, now=now)


def fill_if_empty() -> int:
    """After the upgrade that brought due rows (and after `manage.py migrate` on a database
    restored from before it): no row yet while partnerships are open, so every open one is
    refreshed once. Afterwards the services keep them."""
    if DueEntry._meta.db_table not in connection.introspection.table_names():
        return 0  # migrated back to before the table
    if DueEntry.objects.exists():
        return 0
    written = 0
    for program_id in (
        Partnership.objects.filter(status__in=Partnership.OPEN_STATUSES)
        .values_list("program_id", flat=True)
        .distinct()
    ):
        written += refresh_program(program_id)
    return written
