"""Checking the audit trail's hash chain (read by `manage.py verify_integrity`)."""

from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace

from mentorpact.audit import chain
from mentorpact.audit.models import ChainHead, Event

FIELDS = [
    "id",
    "seq",
    "hash",
    "at",
    "actor_id",
    "ip",
    "action",
    "object_type",
    "object_id",
    "partnership_id",
    "program_id",
    "details",
]


@dataclass(frozen=True)
class Problem:
    """Something wrong in a stored record: which table, which row, what."""

    table: str
    row: object
    what: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row}: {self.what}"


def chain_problems(*, chunk_size: int = 2000) -> Iterator[Problem]:
    """Every break in the chain: an event whose hash is not that of its fields after the
    previous event's hash (it or the one before it was changed), a gap in `seq` (events
    removed), a head that is not the last event (the tail removed)."""
    table = Event._meta.db_table
    expected, previous, last = 1, chain.GENESIS, None
    rows = Event.objects.order_by("seq").values_list(*FIELDS)
    for values in rows.iterator(chunk_size=chunk_size):
        event = SimpleNamespace(**dict(zip(FIELDS, values, strict=True)))
        if event.seq != expected:
            yield Problem(
                table,
                event.id,
                f"seq {event.seq} follows {expected - 1}: the events between are missing"
                if event.seq > expected
                else f"seq {event.seq} is out of order (expected {expected})",
            )
        if chain.link(previous, event) != event.hash:
            yield Problem(
                table,
                event.id,
                f"seq {event.seq}: its hash is not that of its fields after the previous "
                "event's hash (this event, or its hash, was changed)",
            )
        expected, previous, last = event.seq + 1, event.hash, event
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if head is None:
        if last is not None:
            yield Problem(ChainHead._meta.db_table, 1, "missing while events exist")
        return
    seq, hash_ = head
    if last is None and seq != 0:
        yield Problem(ChainHead._meta.db_table, 1, f"at seq {seq} but there are no events")
    elif last is not None and (seq, hash_) != (last.seq, last.hash):
        yield Problem(
            ChainHead._meta.db_table,
            1,
            f"at seq {seq} but the last event is seq {last.seq}"
            if seq != last.seq
            else "its hash is not the last event's",
        )
