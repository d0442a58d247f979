"""The audit trail's hash chain: what an event's `hash` is computed over.

Each event stores SHA-256 of (the previous event's hash, its own canonical fields), so
changing, removing or reordering any stored event breaks every hash after it, and
`manage.py verify_integrity` says where. The format below is part of the stored record:
never change it (a new format would need a new version prefix and a migration that keeps the
old events verifiable).

Only ids are hashed, never names: the actor is `actor_id`, so anonymising a person's account
(their name is read from accounts) leaves the chain intact.
"""

import hashlib
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

# The previous hash of the first event of a chain.
GENESIS = "0" * 64
VERSION = "mentorpact-audit-v1"


def _ip(ip: str | None) -> str | None:
    # The same address in any spelling (PostgreSQL's inet prints its own): parsed, exploded.
    if not ip:
        return None
    try:
        return ipaddress.ip_address(ip).exploded
    except ValueError:
        return str(ip)


def _at(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    ip: str | None,
    action: str,
    object_type: str,
    object_id: int | None,
    partnership_id: int | None,
    program_id: int | None,
    details: Any,
) -> str:
    """The event's fields as one line of JSON (sorted keys, no spaces), as hashed."""
    fields = {
        "seq": seq,
        "at": _at(at),
        "actor_id": actor_id,
        "ip": _ip(ip),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "partnership_id": partnership_id,
        "program_id": program_id,
        "details": details,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def link(previous: str, event: Any) -> str:
    """The hash of `event` (any object with Event's fields) after the event hashed `previous`."""
    line = canonical(
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        ip=event.ip,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        partnership_id=event.partnership_id,
        program_id=event.program_id,
        details=event.details,
    )
    return hashlib.sha256(f"{VERSION}\n{previous}\n{line}".encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return _at(value)
    return str(value)


def digest(fields: dict[str, Any]) -> str:
    """SHA-256 of a record's fields as canonical JSON (datetimes in UTC to the microsecond,
    UUIDs and other values as text): what an app puts in the event that records a row it
    protects (a signature, a revision), so the chain vouches for the row too."""
    line = json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )
    return hashlib.sha256(line.encode()).hexdigest()


def ip(value: str | None) -> str | None:
    """An address as digested: the same in any spelling."""
    return _ip(value)
