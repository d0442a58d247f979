"""Large generated programs for the benchmarks (bench/) and the query-count tests:
`generate_load()`, run by `manage.py generate_load`.

One program, made fast: bulk inserts, one password hash, deterministic dates spread over
past months (no randomness). Its partnerships' status history is written as audit events in
bulk, as the partnership services would have written them one by one.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction

from demo.player import enrol, new_user
from mentorpact.accounts.models import User
from mentorpact.audit import services as audit
from mentorpact.audit.models import Event
from mentorpact.dashboard import facts as dashboard_facts
from mentorpact.partnerships import services as partnership_services
from mentorpact.partnerships.models import Partnership, PartnershipAction
from mentorpact.programs.models import Enrolment, Program
from mentorpact.progress import due_rows

DEMO_PASSWORD = "mentorpact-demo"

DRAFTING = Partnership.Status.DRAFTING
ACTIVE = Partnership.Status.ACTIVE
CONCLUDED = Partnership.Status.CONCLUDED
ENDED_EARLY = Partnership.Status.ENDED_EARLY


# --- generate_load -------------------------------------------------------------------------

DEFAULT_LOAD_PROGRAM = "Load Test Program"
LOAD_ANCHOR = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
# Every tenth partnership: half active, a fifth drafting, a fifth concluded, one ended early.
LOAD_STATUSES: tuple[str, ...] = (
    ACTIVE,
    DRAFTING,
    ACTIVE,
    CONCLUDED,
    ACTIVE,
    DRAFTING,
    ACTIVE,
    CONCLUDED,
    ACTIVE,
)
LOAD_STATUSES += (ENDED_EARLY,)

FIRST_NAMES = (
    ("Ada", "Bilal", "Chiara", "Dev", "Efua", "Felipe", "Gita", "Hamza", "Ines")
    + ("Jonas", "Keiko", "Lars", "Maya", "Nikolai", "Olu", "Paz", "Quinn", "Rosa", "Sanjay")
    + ("Tove", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia")
)
LAST_NAMES = (
    ("Abara", "Berg", "Castillo", "Dimitriou", "Eze", "Fischer", "Gupta", "Hansen")
    + ("Ito", "Jovanovic", "Kowalski", "Lindqvist", "Mwangi", "Novak", "Ortiz", "Park", "Quispe")
    + ("Reyes", "Suzuki", "Tran", "Uddin", "Varga", "Wójcik", "Xu", "Yilmaz", "Zulu")
)


@dataclass(frozen=True)
class LoadResult:
    program: Program
    coordinator: User
    created: int  # partnerships added by this run
    total: int
    sample: Partnership  # a concluded partnership (the longest timeline), for benchmarks


def _load_history(i: int) -> tuple[str, list[tuple[str, datetime]], date | None]:
    """Status, timeline and planned end of the i-th generated partnership (deterministic)."""
    status = LOAD_STATUSES[i % len(LOAD_STATUSES)]
    spread = (i * 7919) % 997  # scatter the dates without randomness
    recent: dict[str, int] = {DRAFTING: 1 + spread % 60, ACTIVE: 20 + spread % 150}
    days_ago = recent.get(status, 200 + spread % 400)
    matched = LOAD_ANCHOR - timedelta(days=days_ago, minutes=i % 1440)
    history: list[tuple[str, datetime]] = [(DRAFTING, matched)]
    if status != DRAFTING:
        history.append((ACTIVE, matched + timedelta(days=14)))
    if status == CONCLUDED:
        history.append((CONCLUDED, matched + timedelta(days=194)))
    if status == ENDED_EARLY:
        history.append((ENDED_EARLY, matched + timedelta(days=44)))
    ends_on = (matched + timedelta(days=194)).date() if status != DRAFTING else None
    return status, history, ends_on


@transaction.atomic
def generate_load(
    *, partnerships: int, program_name: str = DEFAULT_LOAD_PROGRAM, batch_size: int = 1000
) -> LoadResult:
    """A program with `partnerships` partnerships, topped up if it already has fewer.

    Re-running with the same or a smaller number changes nothing; a larger number adds the
    missing partnerships (and their people) after the existing ones.
    """
    program = Program.objects.filter(name=program_name).first()
    if program is None:
        program = Program(
            name=program_name,
            sponsor="Generated load",
            kickoff_date=date(2026, 1, 12),
            agreement_due_date=date(2026, 12, 14),
        )
        program.full_clean()
        program.save()
    # Generated people's emails carry the program's id, so two load programs never collide.
    domain = f"load-{program.public_id.hex[:12]}.example.org"
    password = make_password(DEMO_PASSWORD)
    coordinator = User.objects.filter(email=f"coordinator@{domain}").first()
    if coordinator is None:
        coordinator = new_user(f"coordinator@{domain}", "Casey Coordinator", password)
    enrol(program, [coordinator], Enrolment.Role.COORDINATOR)

    existing = program.partnerships.count()
    wanted = range(existing, max(existing, partnerships))
    if wanted:
        _add_load(program, coordinator, wanted, domain=domain, password=password, batch=batch_size)
        # Rows written in bulk, not through the services: their due items and dashboard
        # facts (the closed ones' too), as the services would have kept them.
        due_rows.refresh_program(program.pk, now=LOAD_ANCHOR)
        dashboard_facts.refresh_program(program.pk, now=LOAD_ANCHOR)
    sample = (
        program.partnerships.filter(status=CONCLUDED).order_by("pk").first()
        or program.partnerships.order_by("pk").first()
    )
    assert sample is not None, "generate_load needs partnerships >= 1 (the command checks)"
    return LoadResult(
        program=program,
        coordinator=coordinator,
        created=len(wanted),
        total=existing + len(wanted),
        sample=sample,
    )


def _add_load(
    program: Program, coordinator: User, wanted: range, *, domain: str, password: str, batch: int
) -> None:
    def name(i: int, offset: int) -> str:
        j = i * 2 + offset
        return f"{FIRST_NAMES[j % 26]} {LAST_NAMES[(j // 26) % 26]}"

    people = {}
    for i in wanted:
        people[f"mentor-{i:05d}@{domain}"] = name(i, 0)
        people[f"mentee-{i:05d}@{domain}"] = name(i, 1)
    # People left behind by partnerships deleted by hand are reused, not duplicated.
    known = dict(User.objects.filter(email__endswith=f"@{domain}").values_list("email", "pk"))
    User.objects.bulk_create(
        [
            User(email=e, full_name=n, password=password)
            for e, n in people.items()
            if e not in known
        ],
        batch_size=batch,
    )
    ids = dict(User.objects.filter(email__endswith=f"@{domain}").values_list("email", "pk"))

    enrolments = [
        Enrolment(program=program, user_id=ids[f"{role}-{i:05d}@{domain}"], role=role)
        for i in wanted
        for role in (Enrolment.Role.MENTOR, Enrolment.Role.MENTEE)
    ]
    Enrolment.objects.bulk_create(enrolments, batch_size=batch, ignore_conflicts=True)

    histories = [_load_history(i) for i in wanted]
    programs_date = partnership_services.programs_due_date(program)
    rows = [
        Partnership(
            program=program,
            mentor_id=ids[f"mentor-{i:05d}@{domain}"],
            mentee_id=ids[f"mentee-{i:05d}@{domain}"],
            status=status,
            created_at=history[0][1],
            status_changed_at=history[-1][1],
            agreement_due_on=partnership_services.agreement_due_on(
                program, paired_on=history[0][1].date(), programs_date=programs_date
            ),
            started_on=history[1][1].date() if len(history) > 1 else None,
            ends_on=ends_on,
        )
        for i, (status, history, ends_on) in zip(wanted, histories, strict=True)
    ]
    # created_at and status_changed_at keep the dates set here (StampField).
    created = Partnership.objects.bulk_create(rows, batch_size=batch)
    events = []
    for p, (_status, history, _ends) in zip(created, histories, strict=True):
        actors: dict[str, int] = {
            ACTIVE: p.mentee_id,
            CONCLUDED: p.mentor_id,
            ENDED_EARLY: coordinator.pk,
        }
        of = {
            "object_type": "partnership",
            "object_id": p.pk,
            "partnership_id": p.pk,
            "program_id": program.pk,
        }
        events.append(
            Event(
                actor_id=coordinator.pk,
                action=PartnershipAction.CREATED,
                details={"to_status": DRAFTING},
                at=history[0][1],
                **of,
            )
        )
        events += [
            Event(
                actor_id=actors[to_status],
                action=PartnershipAction.STATUS_CHANGED,
                details={"from_status": from_status, "to_status": to_status},
                at=at,
                **of,
            )
            for (from_status, _), (to_status, at) in zip(history, history[1:], strict=False)
        ]
    audit.record_all(events, batch_size=batch)  # chained, as every event is
