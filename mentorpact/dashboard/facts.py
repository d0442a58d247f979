"""The dashboard's per-pair fact rows (`PairFacts`), kept up to date from the records.

`refresh(ids)` reads the facts of those partnerships from their records (status, agreements,
open due rows, meetings held, action plans) in a fixed number of queries and writes one row
each; dashboard.apps calls it whenever progress has brought their due rows up to date
(progress.signals.due_refreshed), in the same transaction. `compute` is the same reading
from scratch for one program, which the property test compares the rows with.
`fill_if_empty` (after `migrate`) and `manage.py refresh_dashboard_facts` backfill them.
"""

import datetime
from collections.abc import Iterable
from datetime import UTC

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from mentorpact.agreements.models import Agreement
from mentorpact.dashboard.models import PairFacts
from mentorpact.meetings.models import Meeting
from mentorpact.partnerships.models import Partnership
from mentorpact.progress.models import ActionPlan, DueEntry

BATCH = 500
FACTS = (
    "program_id",
    "mentor_id",
    "mentee_id",
    "status",
    "paired_on",
    "signed",
    "first_signed",
    "first_late",
    "agreement_overdue_on",
    "contact_due",
    "contact_overdue_on",
    "met",
    "plan_started",
    "plan_complete",
)


def _day(moment: datetime.datetime | None) -> datetime.date:
    assert moment is not None, "read only where the moment is set"
    return moment.astimezone(UTC).date()


def compute(ids: Iterable[int]) -> dict[int, dict]:
    """Each partnership's facts, read from its records (six queries a batch)."""
    out: dict[int, dict] = {}
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for p in Partnership.objects.filter(pk__in=batch).values(
            "pk", "program_id", "mentor_id", "mentee_id", "status", "created_at"
        ):
            out[p["pk"]] = {
                "program_id": p["program_id"],
                "mentor_id": p["mentor_id"],
                "mentee_id": p["mentee_id"],
                "status": p["status"],
                "paired_on": _day(p["created_at"]),
                "signed": False,
                "first_signed": False,
                "first_late": False,
                "agreement_overdue_on": None,
                "contact_due": False,
                "contact_overdue_on": None,
                "met": False,
                "plan_started": False,
                "plan_complete": False,
            }
        for a in Agreement.objects.filter(
            partnership_id__in=batch, in_effect_since__isnull=False
        ).values("partnership_id", "number", "in_effect_since", "due_on"):
            facts = out[a["partnership_id"]]
            facts["signed"] = True
            if a["number"] == 1:
                facts["first_signed"] = True
                due_on, since = a["due_on"], a["in_effect_since"]
                facts["first_late"] = due_on is not None and _day(since) > due_on
        for d in (
            DueEntry.objects.filter(
                partnership_id__in=batch,
                done_at__isnull=True,
                kind__in=[DueEntry.Kind.AGREEMENT_DUE, DueEntry.Kind.CONTACT],
            )
            .values("partnership_id", "kind")
            .annotate(overdue_on=Min("overdue_on"))
            .order_by()
        ):
            facts = out[d["partnership_id"]]
            if d["kind"] == DueEntry.Kind.AGREEMENT_DUE:
                facts["agreement_overdue_on"] = d["overdue_on"]
            else:
                facts["contact_due"] = True
                facts["contact_overdue_on"] = d["overdue_on"]
        for pk in (
            Meeting.objects.filter(partnership_id__in=batch, status=Meeting.Status.HELD)
            .values_list("partnership_id", flat=True)
            .distinct()
        ):
            out[pk]["met"] = True
        for pk, completed_at in ActionPlan.objects.filter(partnership_id__in=batch).values_list(
            "partnership_id", "completed_at"
        ):
            out[pk]["plan_started"] = True
            out[pk]["plan_complete"] = out[pk]["plan_complete"] or completed_at is not None
    return out


@transaction.atomic
def refresh(ids: Iterable[int], *, now: datetime.datetime | None = None) -> int:
    """Write the fact rows of these partnerships (insert or update); returns how many."""
    now = now or timezone.now()
    found = compute(ids)
    rows = [PairFacts(partnership_id=pk, updated_at=now, **facts) for pk, facts in found.items()]
    PairFacts.objects.bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["partnership"],
        update_fields=[*FACTS, "updated_at"],
    )
    return len(rows)


def refresh_program(program_id: int, *, now: datetime.datetime | None = None) -> int:
    """Every partnership of the program, closed ones too (`manage.py refresh_dashboard_facts`,
    and the demo's generated programs, written in bulk)."""
    ids = Partnership.objects.filter(program_id=program_id).values_list("pk", flat=True)
    return refresh(list(ids), now=now)


def fill_if_empty() -> int:
    """After the upgrade that brought the fact rows (and after `migrate` on a database restored
    from before it): no row yet while partnerships exist, so every one is read once."""
    if PairFacts._meta.db_table not in connection.introspection.table_names():
        return 0  # migrated back to before the table
    if PairFacts.objects.exists() or not Partnership.objects.exists():
        return 0
    return refresh(list(Partnership.objects.values_list("pk", flat=True)))
